/**
 * Storage seen by the rest of the API: small interfaces with plain records, so route code never
 * touches SQL and the SQLite and PostgreSQL versions pass one contract suite
 * (test/repository-contract.ts).
 */
import type { QueueAddPolicy } from "@sync-beats/protocol";

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  createdAt: Date;
  /**
   * A guest (issue 18) has no password and may use this one room only; null for an account. A
   * guest's `username` is a generated placeholder (`guest-…`), replaced when it becomes an account.
   */
  guestRoomCode: string | null;
}

/** What creating a user takes: an account unless `guestRoomCode` is given. */
export type NewUser = Omit<UserRecord, "guestRoomCode"> & Partial<Pick<UserRecord, "guestRoomCode">>;

export interface UserRepository {
  /** Inserts the user; `false` when the username (or id) is already taken. */
  create(user: NewUser): Promise<boolean>;
  findById(id: string): Promise<UserRecord | null>;
  findByUsername(username: string): Promise<UserRecord | null>;
  /**
   * Turns the guest `id` into an account with this username and password hash, keeping its id and
   * display name; `false` when the username is taken or `id` is not a guest.
   */
  upgradeGuest(id: string, username: string, passwordHash: string): Promise<boolean>;
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
  /** Who may add to the live room's queue [Q3]; a new room takes the default, "everyone". */
  queueAddPolicy?: QueueAddPolicy;
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
  queueAddPolicy: QueueAddPolicy;
  ownerDisplayName: string;
  participantCount: number;
}

/** A change of a room's settings, with the facts version it makes (see {@link nextFactsVersion}). */
export type RoomPatch = Partial<Pick<RoomRecord, "name" | "isPublic" | "listenersCanControl" | "queueAddPolicy">> & Pick<RoomRecord, "factsVersion">;

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
  /** Deletes the room (its participants, its invite link, its guests and their sessions); false when there was none. */
  delete(code: string): Promise<boolean>;
}

export interface ParticipantView {
  userId: string;
  displayName: string;
  joinedAt: Date;
  /** A guest (no account), see {@link UserRecord.guestRoomCode}. */
  isGuest: boolean;
}

/**
 * Membership. A row with `leftAt` null is a live participant; leaving keeps the row (history) and
 * rejoining revives it with a fresh `joinedAt`, unless the owner removed the user (`removedAt`).
 */
export interface ParticipantRepository {
  /** Makes the user a live participant; a no-op when already live. */
  join(roomCode: string, userId: string, at: Date): Promise<void>;
  /** Returns whether the user was live. */
  leave(roomCode: string, userId: string, at: Date): Promise<boolean>;
  isLive(roomCode: string, userId: string): Promise<boolean>;
  /** Live participants in join order. */
  listLive(roomCode: string): Promise<ParticipantView[]>;
  /**
   * The owner removed the user: the row leaves (if live) and is marked, so that {@link join} never
   * revives it. `unknown` when the user never joined the room, `already` when removed before.
   */
  remove(roomCode: string, userId: string, at: Date): Promise<"removed" | "already" | "unknown">;
  isRemoved(roomCode: string, userId: string): Promise<boolean>;
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

/** A room's invite link (issue 18). `token` is the link's secret; a rotation replaces it. */
export interface InviteRecord {
  roomCode: string;
  token: string;
  enabled: boolean;
  updatedAt: Date;
}

export interface InviteRepository {
  /** The room's link, made (enabled, with `token`) when it has none yet; null when the room is gone. */
  ensure(roomCode: string, token: string, at: Date): Promise<InviteRecord | null>;
  findByToken(token: string): Promise<InviteRecord | null>;
  /** Replaces the room's token (the old one stops matching at once); keeps `enabled`. */
  rotate(roomCode: string, token: string, at: Date): Promise<InviteRecord | null>;
  /** Turns the room's link on or off, keeping its token. */
  setEnabled(roomCode: string, enabled: boolean, at: Date): Promise<InviteRecord | null>;
}

export interface Repositories {
  users: UserRepository;
  sessions: SessionRepository;
  rooms: RoomRepository;
  participants: ParticipantRepository;
  tracks: TrackRepository;
  invites: InviteRepository;
}
