/**
 * SQLite tables. Mirrors ./schema-pg.ts column for column (a test checks it): Drizzle needs one
 * table builder per dialect, and both must produce the same row types so that one repository
 * implementation serves both (see ../repositories/index.ts).
 */
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

const createdAt = () => integer("created_at", { mode: "timestamp_ms" }).notNull();

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  username: text("username").notNull().unique(),
  displayName: text("display_name").notNull(),
  passwordHash: text("password_hash").notNull(),
  createdAt: createdAt(),
  /** Set for a guest (issue 18): the one room this account-less user may use; null for accounts. */
  guestRoomCode: text("guest_room_code"),
});

export const sessions = sqliteTable(
  "sessions",
  {
    sid: text("sid").primaryKey(),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    data: text("data").notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("sessions_expires_at_idx").on(t.expiresAt), index("sessions_user_id_idx").on(t.userId)],
);

export const rooms = sqliteTable(
  "rooms",
  {
    code: text("code").primaryKey(),
    name: text("name").notNull(),
    isPublic: integer("is_public", { mode: "boolean" }).notNull(),
    listenersCanControl: integer("listeners_can_control", { mode: "boolean" }).notNull(),
    /** Who may add to the live room's queue: "everyone" or "host" [Q3]. */
    queueAddPolicy: text("queue_add_policy", { enum: ["everyone", "host"] }).notNull().default("everyone"),
    ownerUserId: text("owner_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    /** Grows with every change of what the live room follows (name, owner, listener control): orders copies. */
    factsVersion: integer("facts_version").notNull().default(0),
  },
  (t) => [index("rooms_public_created_idx").on(t.isPublic, t.createdAt)],
);

export const participants = sqliteTable(
  "participants",
  {
    roomCode: text("room_code")
      .notNull()
      .references(() => rooms.code, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    joinedAt: integer("joined_at", { mode: "timestamp_ms" }).notNull(),
    leftAt: integer("left_at", { mode: "timestamp_ms" }),
    /** Set when the owner removed the user: no ticket, no rejoin (the one owner of that fact). */
    removedAt: integer("removed_at", { mode: "timestamp_ms" }),
  },
  (t) => [primaryKey({ columns: [t.roomCode, t.userId] }), index("participants_user_idx").on(t.userId)],
);

export const tracks = sqliteTable(
  "tracks",
  {
    id: text("id").primaryKey(),
    ownerUserId: text("owner_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    artist: text("artist"),
    durationMs: real("duration_ms").notNull(),
    mimeType: text("mime_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    fileName: text("file_name").notNull(),
    sha256: text("sha256").notNull(),
    isDemo: integer("is_demo", { mode: "boolean" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("tracks_owner_idx").on(t.ownerUserId)],
);

/** A room's invite link (issue 18): one per room, made on first read; rotating replaces the token. */
export const roomInvites = sqliteTable("room_invites", {
  roomCode: text("room_code")
    .primaryKey()
    .references(() => rooms.code, { onDelete: "cascade" }),
  /** 128 random bits, base64url: the link's secret, looked up as is (it is shown to the room again). */
  token: text("token").notNull().unique(),
  enabled: integer("enabled", { mode: "boolean" }).notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});
