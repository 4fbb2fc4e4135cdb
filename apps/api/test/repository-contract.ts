/**
 * The repository contract: one suite, run against SQLite (repositories.sqlite.test.ts) and
 * PostgreSQL (repositories.pg.test.ts). Rule ids [R1]… are cited in test names.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../src/db/open.js";
import type { TrackRecord, UserRecord } from "../src/repositories/types.js";
import type { TestTarget } from "./databases.js";
import { guestRepositoryContract } from "./guest-repository-contract.js";

const T0 = new Date("2026-01-01T00:00:00.000Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

let serial = 0;
function user(name: string): UserRecord {
  serial += 1;
  return { id: `u-${name}-${serial}`, username: `${name}${serial}`, displayName: name, passwordHash: "x", createdAt: T0, guestRoomCode: null };
}

export function repositoryContract(makeTarget: () => Promise<TestTarget>): void {
  let target: TestTarget;
  let db: Database;
  beforeAll(async () => {
    target = await makeTarget();
    db = await openDatabase(target.target);
  });
  afterAll(async () => {
    await db?.close();
    await target?.dispose();
  });

  describe("users", () => {
    it("[R1] creates and finds by id and username", async () => {
      const alice = user("alice");
      expect(await db.repos.users.create(alice)).toBe(true);
      expect(await db.repos.users.findById(alice.id)).toEqual(alice);
      expect(await db.repos.users.findByUsername(alice.username)).toEqual(alice);
      expect(await db.repos.users.findByUsername("nobody")).toBeNull();
    });

    it("[R2] refuses a duplicate username without throwing", async () => {
      const bob = user("bob");
      await db.repos.users.create(bob);
      expect(await db.repos.users.create({ ...bob, id: "another-id" })).toBe(false);
    });
  });

  describe("sessions", () => {
    it("[R3] stores, replaces, touches and destroys", async () => {
      const owner = user("sess");
      await db.repos.users.create(owner);
      await db.repos.sessions.set({ sid: "s1", userId: null, data: "{}", expiresAt: at(60) });
      await db.repos.sessions.set({ sid: "s1", userId: owner.id, data: '{"a":1}', expiresAt: at(60) });
      expect(await db.repos.sessions.get("s1", at(0))).toEqual({ sid: "s1", userId: owner.id, data: '{"a":1}', expiresAt: at(60) });
      await db.repos.sessions.touch("s1", at(120));
      expect((await db.repos.sessions.get("s1", at(90)))?.expiresAt).toEqual(at(120));
      await db.repos.sessions.destroy("s1");
      expect(await db.repos.sessions.get("s1", at(0))).toBeNull();
    });

    it("[R4] hides expired sessions and deletes them in bulk", async () => {
      await db.repos.sessions.set({ sid: "old", userId: null, data: "{}", expiresAt: at(10) });
      await db.repos.sessions.set({ sid: "new", userId: null, data: "{}", expiresAt: at(1000) });
      expect(await db.repos.sessions.get("old", at(10))).toBeNull();
      expect(await db.repos.sessions.deleteExpired(at(10))).toBeGreaterThanOrEqual(1);
      expect(await db.repos.sessions.get("new", at(10))).not.toBeNull();
    });
  });

  describe("rooms and participants", () => {
    it("[R5] a new room has its owner as its only live participant", async () => {
      const owner = user("owner");
      await db.repos.users.create(owner);
      const room = { code: "ABCDEF", name: "Friday", isPublic: true, listenersCanControl: false, ownerUserId: owner.id, createdAt: at(1), factsVersion: 1 };
      expect(await db.repos.rooms.create(room)).toBe(true);
      // A new room lets everyone add to its queue [Q3].
      expect(await db.repos.rooms.find("ABCDEF")).toEqual({ ...room, queueAddPolicy: "everyone", ownerDisplayName: "owner", participantCount: 1 });
      expect(await db.repos.participants.listLive("ABCDEF")).toEqual([{ userId: owner.id, displayName: "owner", joinedAt: at(1), isGuest: false }]);
    });

    it("[R6] refuses a taken room code and leaves no stray participant", async () => {
      const other = user("other");
      await db.repos.users.create(other);
      const clash = { code: "ABCDEF", name: "x", isPublic: false, listenersCanControl: false, ownerUserId: other.id, createdAt: at(2), factsVersion: 2 };
      expect(await db.repos.rooms.create(clash)).toBe(false);
      expect(await db.repos.participants.isLive("ABCDEF", other.id)).toBe(false);
      expect(await db.repos.rooms.find("ZZZZZZ")).toBeNull();
    });

    it("[R7] join is idempotent, leave ends presence, rejoin revives it", async () => {
      const liam = user("liam");
      await db.repos.users.create(liam);
      await db.repos.participants.join("ABCDEF", liam.id, at(5));
      await db.repos.participants.join("ABCDEF", liam.id, at(6));
      const live = await db.repos.participants.listLive("ABCDEF");
      expect(live.find((p) => p.userId === liam.id)?.joinedAt).toEqual(at(5));
      expect((await db.repos.rooms.find("ABCDEF"))?.participantCount).toBe(2);
      expect(await db.repos.participants.leave("ABCDEF", liam.id, at(7))).toBe(true);
      expect(await db.repos.participants.leave("ABCDEF", liam.id, at(8))).toBe(false);
      expect((await db.repos.rooms.find("ABCDEF"))?.participantCount).toBe(1);
      await db.repos.participants.join("ABCDEF", liam.id, at(9));
      expect(await db.repos.participants.isLive("ABCDEF", liam.id)).toBe(true);
      expect((await db.repos.participants.listLive("ABCDEF")).at(-1)).toEqual({ userId: liam.id, displayName: "liam", joinedAt: at(9), isGuest: false });
    });

    it("[R13] a removed user leaves, stays out whatever join says, and a second removal changes nothing", async () => {
      const rita = user("rita");
      const never = user("never");
      await db.repos.users.create(rita);
      await db.repos.users.create(never);
      await db.repos.participants.join("ABCDEF", rita.id, at(10));
      expect(await db.repos.participants.isRemoved("ABCDEF", rita.id)).toBe(false);
      expect(await db.repos.participants.remove("ABCDEF", rita.id, at(11))).toBe("removed");
      expect(await db.repos.participants.isLive("ABCDEF", rita.id)).toBe(false);
      await db.repos.participants.join("ABCDEF", rita.id, at(12));
      expect(await db.repos.participants.isLive("ABCDEF", rita.id)).toBe(false);
      expect(await db.repos.participants.isRemoved("ABCDEF", rita.id)).toBe(true);
      expect((await db.repos.participants.listLive("ABCDEF")).map((p) => p.userId)).not.toContain(rita.id);
      expect(await db.repos.participants.remove("ABCDEF", rita.id, at(13))).toBe("already");
      // Someone who never joined the room has nothing to remove.
      expect(await db.repos.participants.remove("ABCDEF", never.id, at(14))).toBe("unknown");
      expect(await db.repos.participants.isRemoved("ABCDEF", never.id)).toBe(false);
    });

    it("[R8] lists public rooms newest first with counts, and a user's rooms", async () => {
      const owner = user("owner");
      const visitor = user("visitor");
      await db.repos.users.create(owner);
      await db.repos.users.create(visitor);
      const base = { listenersCanControl: false, ownerUserId: owner.id, factsVersion: 100 };
      await db.repos.rooms.create({ ...base, code: "PUBAAA", name: "a", isPublic: true, createdAt: at(100) });
      await db.repos.rooms.create({ ...base, code: "PRVBBB", name: "b", isPublic: false, createdAt: at(101) });
      await db.repos.rooms.create({ ...base, code: "PUBCCC", name: "c", isPublic: true, createdAt: at(102) });
      await db.repos.participants.join("PUBAAA", visitor.id, at(103));
      const pub = await db.repos.rooms.listPublic(100);
      expect(pub.map((r) => r.code).slice(0, 2)).toEqual(["PUBCCC", "PUBAAA"]);
      expect(pub.some((r) => r.code === "PRVBBB")).toBe(false);
      expect(pub.find((r) => r.code === "PUBAAA")?.participantCount).toBe(2);
      expect((await db.repos.rooms.listPublic(1)).length).toBe(1);
      expect((await db.repos.rooms.listForUser(owner.id, 100)).map((r) => r.code)).toEqual(["PUBCCC", "PRVBBB", "PUBAAA"]);
      expect((await db.repos.rooms.listForUser(visitor.id, 100)).map((r) => r.code)).toEqual(["PUBAAA"]);
      await db.repos.participants.leave("PUBAAA", visitor.id, at(104));
      expect(await db.repos.rooms.listForUser(visitor.id, 100)).toEqual([]);
    });

    it("[R9] updates settings and transfers ownership by compare-and-set, each with its facts version", async () => {
      const room = await db.repos.rooms.find("PUBAAA");
      const newOwner = user("heir");
      await db.repos.users.create(newOwner);
      await db.repos.rooms.update("PUBAAA", { listenersCanControl: true, name: "renamed", isPublic: false, queueAddPolicy: "host", factsVersion: 200 });
      await db.repos.rooms.update("PUBAAA", { factsVersion: 201 });
      expect(await db.repos.rooms.find("PUBAAA")).toMatchObject({ listenersCanControl: true, name: "renamed", isPublic: false, queueAddPolicy: "host", factsVersion: 201 });
      expect(await db.repos.rooms.transferOwnership("PUBAAA", room!.ownerUserId, newOwner.id, 202)).toBe(true);
      expect(await db.repos.rooms.transferOwnership("PUBAAA", room!.ownerUserId, newOwner.id, 203)).toBe(false);
      expect(await db.repos.rooms.find("PUBAAA")).toMatchObject({ ownerDisplayName: "heir", factsVersion: 202 });
    });

    it("[R12] deletes a room with its participants; a second delete finds nothing", async () => {
      expect(await db.repos.rooms.delete("PRVBBB")).toBe(true);
      expect(await db.repos.rooms.find("PRVBBB")).toBeNull();
      expect(await db.repos.participants.listLive("PRVBBB")).toEqual([]);
      expect(await db.repos.rooms.delete("PRVBBB")).toBe(false);
    });
  });

  guestRepositoryContract(() => db);

  describe("tracks", () => {
    it("[R10] creates, finds, upserts and lists demo tracks before own uploads", async () => {
      const system = user("system");
      const me = user("me");
      const stranger = user("stranger");
      for (const u of [system, me, stranger]) await db.repos.users.create(u);
      const base: Omit<TrackRecord, "id" | "ownerUserId" | "isDemo" | "createdAt"> = {
        title: "t",
        artist: null,
        durationMs: 1234.5,
        mimeType: "audio/wav",
        sizeBytes: 100,
        fileName: "f.wav",
        sha256: "abc",
      };
      const demo: TrackRecord = { ...base, id: "demo-x", ownerUserId: system.id, isDemo: true, createdAt: at(0) };
      await db.repos.tracks.upsert(demo);
      await db.repos.tracks.upsert({ ...demo, title: "refreshed", createdAt: at(50) });
      expect(await db.repos.tracks.find("demo-x")).toEqual({ ...demo, title: "refreshed" });
      await db.repos.tracks.create({ ...base, id: "mine-1", ownerUserId: me.id, isDemo: false, createdAt: at(1), artist: "me" });
      await db.repos.tracks.create({ ...base, id: "mine-2", ownerUserId: me.id, isDemo: false, createdAt: at(2) });
      await db.repos.tracks.create({ ...base, id: "theirs", ownerUserId: stranger.id, isDemo: false, createdAt: at(3) });
      expect((await db.repos.tracks.listVisibleTo(me.id)).map((t) => t.id)).toEqual(["demo-x", "mine-2", "mine-1"]);
      expect((await db.repos.tracks.find("mine-1"))?.artist).toBe("me");
      expect(await db.repos.tracks.find("nope")).toBeNull();
      expect(await db.repos.tracks.delete("demo-x")).toBe(true);
      expect(await db.repos.tracks.delete("demo-x")).toBe(false);
      expect((await db.repos.tracks.listVisibleTo(me.id)).map((t) => t.id)).toEqual(["mine-2", "mine-1"]);
    });
  });
}
