import { and, asc, count, desc, eq, inArray, isNotNull, isNull, lte, or } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type * as schema from "../db/schema-sqlite.js";
import { inviteRepository } from "./invites.js";
import type {
  ParticipantRepository,
  Repositories,
  RoomRepository,
  RoomView,
  SessionRepository,
  TrackRepository,
  UserRepository,
} from "./types.js";

/**
 * One implementation for both dialects. It is typed against the SQLite tables; the PostgreSQL
 * caller passes its own `drizzle(pg)` database and `pgTable`s through a cast (see db/open.ts).
 * That is sound at run time because only builder methods both dialects share are used (select,
 * insert … onConflict … returning, update, delete, transaction, joins, count) and every SQL
 * fragment comes from the runtime table objects, so each database renders its own SQL. The
 * shared contract suite runs against both to keep it that way. The alternative, two copies of
 * every query, drifts.
 */
export type Db = LibSQLDatabase<Record<string, never>>;
export type Schema = typeof schema;

export function createRepositories(db: Db, t: Schema): Repositories {
  return {
    users: userRepository(db, t),
    sessions: sessionRepository(db, t),
    rooms: roomRepository(db, t),
    participants: participantRepository(db, t),
    tracks: trackRepository(db, t),
    invites: inviteRepository(db, t),
  };
}

function userRepository(db: Db, { users }: Schema): UserRepository {
  return {
    async create(user) {
      const inserted = await db.insert(users).values(user).onConflictDoNothing().returning({ id: users.id });
      return inserted.length === 1;
    },
    async findById(id) {
      const [row] = await db.select().from(users).where(eq(users.id, id));
      return row ?? null;
    },
    async findByUsername(username) {
      const [row] = await db.select().from(users).where(eq(users.username, username));
      return row ?? null;
    },
    async upgradeGuest(id, username, passwordHash) {
      // The unique username index decides a race between two upgrades (or a signup) for one name.
      const taken = await this.findByUsername(username);
      if (taken) return false;
      try {
        const updated = await db
          .update(users)
          .set({ username, passwordHash, guestRoomCode: null })
          .where(and(eq(users.id, id), isNotNull(users.guestRoomCode)))
          .returning({ id: users.id });
        return updated.length === 1;
      } catch (error) {
        if (await this.findByUsername(username)) return false;
        throw error;
      }
    },
  };
}

function sessionRepository(db: Db, { sessions }: Schema): SessionRepository {
  return {
    async get(sid, now) {
      const [row] = await db.select().from(sessions).where(eq(sessions.sid, sid));
      if (!row || row.expiresAt <= now) return null;
      return row;
    },
    async set(session) {
      await db
        .insert(sessions)
        .values(session)
        .onConflictDoUpdate({
          target: sessions.sid,
          set: { userId: session.userId, data: session.data, expiresAt: session.expiresAt },
        });
    },
    async touch(sid, expiresAt) {
      await db.update(sessions).set({ expiresAt }).where(eq(sessions.sid, sid));
    },
    async destroy(sid) {
      await db.delete(sessions).where(eq(sessions.sid, sid));
    },
    async deleteExpired(now) {
      const deleted = await db.delete(sessions).where(lte(sessions.expiresAt, now)).returning({ sid: sessions.sid });
      return deleted.length;
    },
  };
}

function roomRepository(db: Db, { rooms, users, participants, roomInvites, sessions }: Schema): RoomRepository {
  /** Rooms with their owner's name and live count. Grouping by both primary keys is valid SQL on both. */
  const selectViews = () =>
    db
      .select({
        code: rooms.code,
        name: rooms.name,
        isPublic: rooms.isPublic,
        listenersCanControl: rooms.listenersCanControl,
        queueAddPolicy: rooms.queueAddPolicy,
        ownerUserId: rooms.ownerUserId,
        createdAt: rooms.createdAt,
        factsVersion: rooms.factsVersion,
        ownerDisplayName: users.displayName,
        participantCount: count(participants.userId),
      })
      .from(rooms)
      .innerJoin(users, eq(users.id, rooms.ownerUserId))
      .leftJoin(participants, and(eq(participants.roomCode, rooms.code), isNull(participants.leftAt)))
      .groupBy(rooms.code, users.id)
      .$dynamic();

  return {
    async create(room) {
      return db.transaction(async (tx) => {
        const inserted = await tx.insert(rooms).values(room).onConflictDoNothing().returning({ code: rooms.code });
        if (inserted.length !== 1) return false;
        await tx.insert(participants).values({ roomCode: room.code, userId: room.ownerUserId, joinedAt: room.createdAt });
        return true;
      });
    },
    async find(code) {
      const [row] = await selectViews().where(eq(rooms.code, code));
      return row ?? null;
    },
    async listPublic(limit) {
      return selectViews().where(eq(rooms.isPublic, true)).orderBy(desc(rooms.createdAt), asc(rooms.code)).limit(limit);
    },
    async listForUser(userId, limit) {
      const liveIn = db
        .select({ code: participants.roomCode })
        .from(participants)
        .where(and(eq(participants.userId, userId), isNull(participants.leftAt)));
      const rows: RoomView[] = await selectViews()
        .where(or(eq(rooms.ownerUserId, userId), inArray(rooms.code, liveIn)))
        .orderBy(desc(rooms.createdAt), asc(rooms.code))
        .limit(limit);
      return rows;
    },
    async update(code, patch) {
      await db.update(rooms).set(patch).where(eq(rooms.code, code));
    },
    async delete(code) {
      return db.transaction(async (tx) => {
        // Explicit rather than by cascade: SQLite enforces foreign keys only when asked to.
        await tx.delete(participants).where(eq(participants.roomCode, code));
        await tx.delete(roomInvites).where(eq(roomInvites.roomCode, code));
        // The room's guests had nothing else: they go with it, sessions first (foreign key).
        const guests = db.select({ id: users.id }).from(users).where(eq(users.guestRoomCode, code));
        await tx.delete(sessions).where(inArray(sessions.userId, guests));
        await tx.delete(users).where(eq(users.guestRoomCode, code));
        const deleted = await tx.delete(rooms).where(eq(rooms.code, code)).returning({ code: rooms.code });
        return deleted.length === 1;
      });
    },
    async transferOwnership(code, fromUserId, toUserId, factsVersion) {
      const updated = await db
        .update(rooms)
        .set({ ownerUserId: toUserId, factsVersion })
        .where(and(eq(rooms.code, code), eq(rooms.ownerUserId, fromUserId)))
        .returning({ code: rooms.code });
      return updated.length === 1;
    },
  };
}

function participantRepository(db: Db, { participants, users }: Schema): ParticipantRepository {
  const row = (roomCode: string, userId: string) =>
    and(eq(participants.roomCode, roomCode), eq(participants.userId, userId));
  return {
    async join(roomCode, userId, at) {
      // Insert, or revive a row that has left; a live row is left untouched (keeps its joinedAt).
      await db
        .insert(participants)
        .values({ roomCode, userId, joinedAt: at, leftAt: null })
        .onConflictDoUpdate({
          target: [participants.roomCode, participants.userId],
          set: { joinedAt: at, leftAt: null },
          // A removed user stays out: only the owner's removal says so, and nothing revives it.
          setWhere: and(isNotNull(participants.leftAt), isNull(participants.removedAt)),
        });
    },
    async remove(roomCode, userId, at) {
      const updated = await db
        .update(participants)
        .set({ leftAt: at, removedAt: at })
        .where(and(row(roomCode, userId), isNull(participants.removedAt)))
        .returning({ userId: participants.userId });
      if (updated.length === 1) return "removed";
      return (await this.isRemoved(roomCode, userId)) ? "already" : "unknown";
    },
    async isRemoved(roomCode, userId) {
      const [found] = await db
        .select({ userId: participants.userId })
        .from(participants)
        .where(and(row(roomCode, userId), isNotNull(participants.removedAt)));
      return found !== undefined;
    },
    async leave(roomCode, userId, at) {
      const updated = await db
        .update(participants)
        .set({ leftAt: at })
        .where(and(row(roomCode, userId), isNull(participants.leftAt)))
        .returning({ userId: participants.userId });
      return updated.length === 1;
    },
    async isLive(roomCode, userId) {
      const [found] = await db
        .select({ userId: participants.userId })
        .from(participants)
        .where(and(row(roomCode, userId), isNull(participants.leftAt)));
      return found !== undefined;
    },
    async listLive(roomCode) {
      return db
        .select({
          userId: participants.userId,
          displayName: users.displayName,
          joinedAt: participants.joinedAt,
          isGuest: isNotNull(users.guestRoomCode).mapWith(Boolean),
        })
        .from(participants)
        .innerJoin(users, eq(users.id, participants.userId))
        .where(and(eq(participants.roomCode, roomCode), isNull(participants.leftAt)))
        .orderBy(asc(participants.joinedAt), asc(participants.userId));
    },
  };
}

function trackRepository(db: Db, { tracks }: Schema): TrackRepository {
  return {
    async create(track) {
      await db.insert(tracks).values(track);
    },
    async upsert(track) {
      const { id: _id, createdAt: _createdAt, ...rest } = track;
      await db.insert(tracks).values(track).onConflictDoUpdate({ target: tracks.id, set: rest });
    },
    async find(id) {
      const [found] = await db.select().from(tracks).where(eq(tracks.id, id));
      return found ?? null;
    },
    async delete(id) {
      const removed = await db.delete(tracks).where(eq(tracks.id, id)).returning({ id: tracks.id });
      return removed.length > 0;
    },
    async listVisibleTo(userId) {
      return db
        .select()
        .from(tracks)
        .where(or(eq(tracks.isDemo, true), eq(tracks.ownerUserId, userId)))
        .orderBy(desc(tracks.isDemo), desc(tracks.createdAt), asc(tracks.id));
    },
  };
}
