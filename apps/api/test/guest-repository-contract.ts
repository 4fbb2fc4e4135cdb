/**
 * The guest and invite-link part of the repository contract (issue 18, rule ids [GR1]…), run by
 * repository-contract.ts on SQLite and PostgreSQL alike.
 */
import { describe, expect, it } from "vitest";
import type { Database } from "../src/db/open.js";

const T0 = new Date("2026-02-01T00:00:00.000Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

export function guestRepositoryContract(database: () => Database): void {
  describe("guests and invite links", () => {
    const owner = { id: "u-guest-owner", username: "guestowner", displayName: "Olga", passwordHash: "x", createdAt: T0 };
    const guest = { id: "g-1", username: "guest-0000000000000001", displayName: "Gus", passwordHash: "!", createdAt: T0, guestRoomCode: "GSTAAA" };

    it("[GR1] a guest is a user scoped to one room, listed as a guest among the participants", async () => {
      const { repos } = database();
      await repos.users.create(owner);
      await repos.rooms.create({ code: "GSTAAA", name: "Party", isPublic: false, listenersCanControl: false, ownerUserId: owner.id, createdAt: T0, factsVersion: 1 });
      expect(await repos.users.create(guest)).toBe(true);
      expect(await repos.users.findById(guest.id)).toEqual(guest);
      expect((await repos.users.findById(owner.id))?.guestRoomCode).toBeNull();
      await repos.participants.join("GSTAAA", guest.id, at(1));
      expect((await repos.participants.listLive("GSTAAA")).map((p) => [p.displayName, p.isGuest])).toEqual([
        ["Olga", false],
        ["Gus", true],
      ]);
    });

    it("[GR2] one invite link per room, made once; found by its token; rotation replaces the token", async () => {
      const { repos } = database();
      expect(await repos.invites.ensure("NOROOM", "token-for-no-room-000", at(1))).toBeNull();
      const first = await repos.invites.ensure("GSTAAA", "token-first-0000000000", at(1));
      expect(first).toEqual({ roomCode: "GSTAAA", token: "token-first-0000000000", enabled: true, updatedAt: at(1) });
      expect(await repos.invites.ensure("GSTAAA", "token-second-000000000", at(2))).toEqual(first);
      expect(await repos.invites.findByToken("token-first-0000000000")).toEqual(first);
      expect((await repos.invites.rotate("GSTAAA", "token-rotated-00000000", at(3)))?.token).toBe("token-rotated-00000000");
      expect(await repos.invites.findByToken("token-first-0000000000")).toBeNull();
      expect(await repos.invites.findByToken("token-rotated-00000000")).toMatchObject({ roomCode: "GSTAAA", enabled: true });
    });

    it("[GR3] a link turned off keeps its token; on again, it works again", async () => {
      const { repos } = database();
      expect(await repos.invites.setEnabled("GSTAAA", false, at(4))).toMatchObject({ token: "token-rotated-00000000", enabled: false });
      expect((await repos.invites.findByToken("token-rotated-00000000"))?.enabled).toBe(false);
      expect((await repos.invites.setEnabled("GSTAAA", true, at(5)))?.enabled).toBe(true);
      expect(await repos.invites.setEnabled("NOROOM", true, at(5))).toBeNull();
    });

    it("[GR4] an upgraded guest is an account with its id and name kept; a taken username or a non-guest is refused", async () => {
      const { repos } = database();
      expect(await repos.users.upgradeGuest(guest.id, owner.username, "hash")).toBe(false);
      expect(await repos.users.upgradeGuest(owner.id, "someone-new", "hash")).toBe(false);
      expect(await repos.users.upgradeGuest(guest.id, "gus", "hash")).toBe(true);
      expect(await repos.users.findByUsername("gus")).toEqual({ ...guest, username: "gus", passwordHash: "hash", guestRoomCode: null });
      expect(await repos.users.upgradeGuest(guest.id, "gus2", "hash")).toBe(false);
    });

    it("[GR5] deleting a room deletes its invite link and its guests with their sessions", async () => {
      const { repos } = database();
      const other = { ...guest, id: "g-2", username: "guest-0000000000000002", displayName: "Gia" };
      await repos.users.create(other);
      await repos.sessions.set({ sid: "guest-sid", userId: other.id, data: "{}", expiresAt: at(1000) });
      expect(await repos.rooms.delete("GSTAAA")).toBe(true);
      expect(await repos.invites.findByToken("token-rotated-00000000")).toBeNull();
      expect(await repos.users.findById(other.id)).toBeNull();
      expect(await repos.sessions.get("guest-sid", at(0))).toBeNull();
      // The upgraded guest is an account now: it stays.
      expect((await repos.users.findById(guest.id))?.username).toBe("gus");
    });
  });
}
