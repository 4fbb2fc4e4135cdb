import { eq } from "drizzle-orm";
import type { Db, Schema } from "./drizzle.js";
import type { InviteRecord, InviteRepository } from "./types.js";

/** Invite links (issue 18), one row per room; see {@link InviteRepository}. */
export function inviteRepository(db: Db, { roomInvites, rooms }: Schema): InviteRepository {
  const find = async (roomCode: string): Promise<InviteRecord | null> => {
    const [row] = await db.select().from(roomInvites).where(eq(roomInvites.roomCode, roomCode));
    return row ?? null;
  };
  const roomExists = async (roomCode: string) =>
    (await db.select({ code: rooms.code }).from(rooms).where(eq(rooms.code, roomCode))).length === 1;

  return {
    async ensure(roomCode, token, at) {
      const existing = await find(roomCode);
      if (existing) return existing;
      if (!(await roomExists(roomCode))) return null;
      // Two first reads at once: one insert wins, both answer the winner's token.
      await db.insert(roomInvites).values({ roomCode, token, enabled: true, updatedAt: at }).onConflictDoNothing();
      return find(roomCode);
    },
    async findByToken(token) {
      const [row] = await db.select().from(roomInvites).where(eq(roomInvites.token, token));
      return row ?? null;
    },
    async rotate(roomCode, token, at) {
      const [row] = await db.update(roomInvites).set({ token, updatedAt: at }).where(eq(roomInvites.roomCode, roomCode)).returning();
      return row ?? null;
    },
    async setEnabled(roomCode, enabled, at) {
      const [row] = await db.update(roomInvites).set({ enabled, updatedAt: at }).where(eq(roomInvites.roomCode, roomCode)).returning();
      return row ?? null;
    },
  };
}
