import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createClient } from "@libsql/client";
import { drizzle as drizzleLibsql } from "drizzle-orm/libsql";
import { migrate as migrateLibsql } from "drizzle-orm/libsql/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDatabase } from "../src/db/open.js";
import { makeTempDir, pgTestTarget, sqliteTestTarget, type TestTarget } from "./databases.js";
import { describeEachBackend } from "./harness.js";

const MIGRATIONS = resolve(import.meta.dirname, "../drizzle");

/** A copy of one dialect's migrations that stops after the first `count` of them. */
function firstMigrations(dialect: "sqlite" | "pg", count: number): string {
  const folder = join(makeTempDir("sync-beats-migrations-"), dialect);
  cpSync(join(MIGRATIONS, dialect), folder, { recursive: true });
  const journalFile = join(folder, "meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: unknown[] };
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, count) }));
  return folder;
}

/** Rows as the first schema (0000_init: `rooms.host_user_id`, `rooms.guests_can_control`) stored them. */
const SEED = [
  "INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES ('u1', 'olive', 'Olive', 'x', $1)",
  "INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES ('u2', 'liam', 'Liam', 'x', $1)",
  "INSERT INTO rooms (code, name, is_public, guests_can_control, host_user_id, created_at) VALUES ('ABCDEF', 'Friday', true, true, 'u1', $1)",
  "INSERT INTO participants (room_code, user_id, joined_at) VALUES ('ABCDEF', 'u1', $1), ('ABCDEF', 'u2', $1)",
];
const T0 = new Date("2026-01-01T00:00:00.000Z");

async function seedAtFirstSchema(target: TestTarget): Promise<void> {
  if (target.target.kind === "postgres") {
    const pool = new pg.Pool({ connectionString: target.target.url });
    await migratePg(drizzlePg(pool), { migrationsFolder: firstMigrations("pg", 1) });
    for (const sql of SEED) await pool.query(sql, [T0]);
    await pool.end();
    return;
  }
  const client = createClient({ url: `file:${target.target.file}` });
  await migrateLibsql(drizzleLibsql(client), { migrationsFolder: firstMigrations("sqlite", 1) });
  for (const sql of SEED) await client.execute({ sql: sql.replaceAll("true", "1").replaceAll("false", "0"), args: [T0.getTime()] });
  client.close();
}

describeEachBackend("migrations", (backend) => {
  let target: TestTarget;
  beforeAll(async () => {
    target = backend === "sqlite" ? await sqliteTestTarget() : await pgTestTarget();
    await seedAtFirstSchema(target);
  });
  afterAll(() => target.dispose());

  it("[R11] 0001_room_owner renames host_user_id to owner_user_id and keeps rooms and participants; 0002 gives old rooms facts version 0; 0003 renames guests_can_control to listeners_can_control, value kept", async () => {
    const db = await openDatabase(target.target);
    try {
      expect(await db.repos.rooms.find("ABCDEF")).toMatchObject({ ownerUserId: "u1", ownerDisplayName: "Olive", participantCount: 2, factsVersion: 0, listenersCanControl: true });
      expect((await db.repos.participants.listLive("ABCDEF")).map((p) => p.userId)).toEqual(["u1", "u2"]);
      expect(await db.repos.rooms.transferOwnership("ABCDEF", "u1", "u2", 1)).toBe(true);
    } finally {
      await db.close();
    }
  });
});
