/** Real databases for tests: a temp SQLite file, or a fresh PostgreSQL database per run. */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { DatabaseTarget } from "../src/db/open.js";

/** Set in CI (`.ci/run`); PostgreSQL suites skip with a printed reason when it is not. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

export const PG_SKIP_REASON = "TEST_DATABASE_URL is not set: skipping the PostgreSQL suite";

export function announcePgSkip(suite: string): void {
  if (!TEST_DATABASE_URL) console.log(`[${suite}] ${PG_SKIP_REASON}`);
}

export interface TestTarget {
  target: DatabaseTarget;
  /** The data directory (temp) for files, secrets and, on SQLite, the database itself. */
  dataDir: string;
  dispose(): Promise<void>;
}

export function makeTempDir(prefix = "sync-beats-api-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function sqliteTestTarget(): Promise<TestTarget> {
  const dataDir = makeTempDir();
  return {
    target: { kind: "sqlite", file: join(dataDir, "sync-beats.db") },
    dataDir,
    dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** Creates a uniquely named database next to TEST_DATABASE_URL's and drops it on dispose. */
export async function pgTestTarget(): Promise<TestTarget> {
  if (!TEST_DATABASE_URL) throw new Error(PG_SKIP_REASON);
  const name = `sync_beats_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const dataDir = makeTempDir();
  return {
    target: { kind: "postgres", url: url.toString() },
    dataDir,
    async dispose() {
      rmSync(dataDir, { recursive: true, force: true });
      const dropper = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}
