/** PostgreSQL tables: the twin of ./schema-sqlite.ts (same names, same row types). */
import { bigint, boolean, doublePrecision, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });
const createdAt = () => instant("created_at").notNull();

export const users = pgTable("users", {
  id: text("id").primaryKey(),
  username: text("username").notNull().unique(),
  displayName: text("display_name").notNull(),
  passwordHash: text("password_hash").notNull(),
  createdAt: createdAt(),
  /** Set for a guest (issue 18): the one room this account-less user may use; null for accounts. */
  guestRoomCode: text("guest_room_code"),
});

export const sessions = pgTable(
  "sessions",
  {
    sid: text("sid").primaryKey(),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    data: text("data").notNull(),
    expiresAt: instant("expires_at").notNull(),
  },
  (t) => [index("sessions_expires_at_idx").on(t.expiresAt), index("sessions_user_id_idx").on(t.userId)],
);

export const rooms = pgTable(
  "rooms",
  {
    code: text("code").primaryKey(),
    name: text("name").notNull(),
    isPublic: boolean("is_public").notNull(),
    listenersCanControl: boolean("listeners_can_control").notNull(),
    /** Who may add to the live room's queue: "everyone" or "host" [Q3]. */
    queueAddPolicy: text("queue_add_policy", { enum: ["everyone", "host"] }).notNull().default("everyone"),
    ownerUserId: text("owner_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    /** Grows with every change of what the live room follows (name, owner, listener control): orders copies. */
    factsVersion: bigint("facts_version", { mode: "number" }).notNull().default(0),
  },
  (t) => [index("rooms_public_created_idx").on(t.isPublic, t.createdAt)],
);

export const participants = pgTable(
  "participants",
  {
    roomCode: text("room_code")
      .notNull()
      .references(() => rooms.code, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    joinedAt: instant("joined_at").notNull(),
    leftAt: instant("left_at"),
    /** Set when the owner removed the user: no ticket, no rejoin (the one owner of that fact). */
    removedAt: instant("removed_at"),
  },
  (t) => [primaryKey({ columns: [t.roomCode, t.userId] }), index("participants_user_idx").on(t.userId)],
);

export const tracks = pgTable(
  "tracks",
  {
    id: text("id").primaryKey(),
    ownerUserId: text("owner_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    artist: text("artist"),
    durationMs: doublePrecision("duration_ms").notNull(),
    mimeType: text("mime_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    fileName: text("file_name").notNull(),
    sha256: text("sha256").notNull(),
    isDemo: boolean("is_demo").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("tracks_owner_idx").on(t.ownerUserId)],
);

/** A room's invite link (issue 18): one per room, made on first read; rotating replaces the token. */
export const roomInvites = pgTable("room_invites", {
  roomCode: text("room_code")
    .primaryKey()
    .references(() => rooms.code, { onDelete: "cascade" }),
  /** 128 random bits, base64url: the link's secret, looked up as is (it is shown to the room again). */
  token: text("token").notNull().unique(),
  enabled: boolean("enabled").notNull(),
  updatedAt: instant("updated_at").notNull(),
});
