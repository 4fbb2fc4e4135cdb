import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { createClient } from "@libsql/client";
import { drizzle as drizzleLibsql } from "drizzle-orm/libsql";
import { migrate as migrateLibsql } from "drizzle-orm/libsql/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { createRepositories, type Db, type Schema } from "../repositories/drizzle.js";
import type { Repositories } from "../repositories/types.js";
import * as pgSchema from "./schema-pg.js";
import * as sqliteSchema from "./schema-sqlite.js";

const MIGRATIONS = resolve(import.meta.dirname, "../../drizzle");

export type Dialect = "sqlite" | "postgres";

/** An open, migrated database and the repositories over it. */
export interface Database {
  dialect: Dialect;
  repos: Repositories;
  /** A trivial round trip, for the health check. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseTarget = { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };

/** `DATABASE_URL=postgres://…` selects PostgreSQL; anything else is the SQLite file in the data dir. */
export function databaseTarget(databaseUrl: string | undefined, dataDir: string): DatabaseTarget {
  if (databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl)) return { kind: "postgres", url: databaseUrl };
  if (databaseUrl) throw new Error("DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)");
  return { kind: "sqlite", file: join(dataDir, "sync-beats.db") };
}

/** Opens the database and applies pending migrations (drizzle/sqlite or drizzle/pg). */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === "postgres") {
    const pool = new pg.Pool({ connectionString: target.url, max: 10 });
    // An idle client whose connection drops (server restart, network cut) is emitted here; the pool
    // discards it, and without a listener the emit would crash the process. The next query
    // reports the outage itself (503 UNAVAILABLE, B9).
    pool.on("error", () => {});
    const db = drizzlePg(pool);
    await migratePg(db, { migrationsFolder: join(MIGRATIONS, "pg") });
    return {
      dialect: "postgres",
      // Why the cast is sound: see repositories/drizzle.ts.
      repos: createRepositories(db as unknown as Db, pgSchema as unknown as Schema),
      ping: async () => {
        await pool.query("SELECT 1");
      },
      close: () => pool.end(),
    };
  }
  mkdirSync(resolve(target.file, ".."), { recursive: true });
  // Several pooled connections share the file: WAL lets readers run beside the writer and the
  // timeout makes a writer wait for the lock instead of failing with SQLITE_BUSY.
  const client = createClient({ url: `file:${target.file}`, timeout: 5_000 });
  await client.execute("PRAGMA journal_mode = WAL");
  const db = drizzleLibsql(client);
  await migrateLibsql(db, { migrationsFolder: join(MIGRATIONS, "sqlite") });
  return {
    dialect: "sqlite",
    repos: createRepositories(db, sqliteSchema),
    ping: async () => {
      await client.execute("SELECT 1");
    },
    close: async () => client.close(),
  };
}
