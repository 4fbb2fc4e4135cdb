/**
 * Storage seen by the rest of the API: small interfaces with plain records, so route code never
 * touches SQL and the SQLite and PostgreSQL versions pass one contract suite
 * (test/repository-contract.ts).
 */

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  createdAt: Date;
}

export interface UserRepository {
  /** Inserts the user; `false` when the username (or id) is already taken. */
  create(user: UserRecord): Promise<boolean>;
  findById(id: string): Promise<UserRecord | null>;
  findByUsername(username: string): Promise<UserRecord | null>;
}

export interface SessionRecord {
  sid: string;
  userId: string | null;
  /** The serialised express-session object. */
  data: string;
  expiresAt: Date;
}

export interface SessionRepository {
  /** The session, or null when missing or expired at `now`. */
  get(sid: string, now: Date): Promise<SessionRecord | null>;
  /** Inserts or replaces. */
  set(session: SessionRecord): Promise<void>;
  /** Extends the expiry without rewriting the data. */
  touch(sid: string, expiresAt: Date): Promise<void>;
  destroy(sid: string): Promise<void>;
  /** Deletes every session expired at `now`; returns how many. */
  deleteExpired(now: Date): Promise<number>;
}

export interface RoomRecord {
  code: string;
  name: string;
  isPublic: boolean;
  listenersCanControl: boolean;
  ownerUserId: string;
  createdAt: Date;
  /** Grows with every change the live room must follow (see {@link nextFactsVersion}). */
  factsVersion: number;
}

/**
 * The version after `current` for a change made at `nowMs`: milliseconds since the epoch, never
 * going back, so a room created again under a deleted room's code is newer than the deletion.
 */
export function nextFactsVersion(current: number, nowMs: number): number {
  return Math.max(Math.floor(nowMs), current + 1);
}

/** A room joined with what lists show: the owner's name and the live participant count. */
export interface RoomView extends RoomRecord {
  ownerDisplayName: string;
  participantCount: number;
}

/** A change of a room's settings, with the facts version it makes (see {@link nextFactsVersion}). */
export type RoomPatch = Partial<Pick<RoomRecord, "name" | "isPublic" | "listenersCanControl">> & Pick<RoomRecord, "factsVersion">;

export interface RoomRepository {
  /** Inserts the room and its owner as first participant; `false` when the code is taken. */
  create(room: RoomRecord): Promise<boolean>;
  find(code: string): Promise<RoomView | null>;
  /** Public rooms, newest first. */
  listPublic(limit: number): Promise<RoomView[]>;
  /** Rooms the user owns or currently participates in, newest first. */
  listForUser(userId: string, limit: number): Promise<RoomView[]>;
  update(code: string, patch: RoomPatch): Promise<void>;
  /**
   * Hands the room from `fromUserId` to `toUserId` if `fromUserId` still owns it (compare-and-set, so
   * two racing transfers cannot both win). Returns whether it happened.
   */
  transferOwnership(code: string, fromUserId: string, toUserId: string, factsVersion: number): Promise<boolean>;
  /** Deletes the room (and its participants); false when there was none. */
  delete(code: string): Promise<boolean>;
}

export interface ParticipantView {
  userId: string;
  displayName: string;
  joinedAt: Date;
}

/**
 * Membership. A row with `leftAt` null is a live participant; leaving keeps the row (history) and
 * rejoining revives it with a fresh `joinedAt`.
 */
export interface ParticipantRepository {
  /** Makes the user a live participant; a no-op when already live. */
  join(roomCode: string, userId: string, at: Date): Promise<void>;
  /** Returns whether the user was live. */
  leave(roomCode: string, userId: string, at: Date): Promise<boolean>;
  isLive(roomCode: string, userId: string): Promise<boolean>;
  /** Live participants in join order. */
  listLive(roomCode: string): Promise<ParticipantView[]>;
}

export interface TrackRecord {
  id: string;
  ownerUserId: string;
  title: string;
  artist: string | null;
  durationMs: number;
  mimeType: string;
  sizeBytes: number;
  /** Server-generated name inside the tracks directory (never client input). */
  fileName: string;
  sha256: string;
  isDemo: boolean;
  createdAt: Date;
}

export interface TrackRepository {
  create(track: TrackRecord): Promise<void>;
  /** Inserts or refreshes by id (demo seeding is idempotent). */
  upsert(track: TrackRecord): Promise<void>;
  find(id: string): Promise<TrackRecord | null>;
  /** Removes a track's row; false when there was none. */
  delete(id: string): Promise<boolean>;
  /** Demo tracks first, then the user's own uploads, newest first. */
  listVisibleTo(userId: string): Promise<TrackRecord[]>;
}

export interface Repositories {
  users: UserRepository;
  sessions: SessionRepository;
  rooms: RoomRepository;
  participants: ParticipantRepository;
  tracks: TrackRepository;
}
