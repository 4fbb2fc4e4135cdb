import { z } from "zod";

/**
 * The protocol versions this build speaks, oldest first. A client's `join` offers a range; the
 * server picks the newest version both speak or closes with {@link CloseCode.PROTOCOL_MISMATCH}
 * (`CLIENT_TOO_OLD` / `SERVER_TOO_OLD`, with the range it speaks).
 */
export const PROTOCOL_VERSIONS = { min: 2, max: 2 } as const;

/** The newest protocol version this build speaks. */
export const PROTOCOL_VERSION = PROTOCOL_VERSIONS.max;

/** A range of protocol versions, inclusive. */
export const VersionRange = z
  .object({ min: z.number().int().min(1), max: z.number().int().min(1) })
  .refine((range) => range.min <= range.max, { message: "min must not exceed max" });
export type VersionRange = z.infer<typeof VersionRange>;

/** A client-chosen id that the server's answer to a command echoes. */
export const CommandId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, "command id must be letters, digits or _.:-");

/** A day in milliseconds: the longest track and position the schemas accept. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/** A position on a track's timeline, in milliseconds. */
export const PositionMs = z.number().finite().min(0).max(DAY_MS);

/** An instant on the sync server's clock (milliseconds since the Unix epoch, fractional). */
export const ServerInstantMs = z.number().finite().min(0);

/** A client-side timestamp echoed back verbatim (any finite number the client's clock produced). */
export const ClientTimestamp = z.number().finite();

/**
 * Room codes are short and human-friendly: uppercase letters and digits. Input is trimmed and
 * upper-cased so "ab3k9z" and "AB3K9Z " name one room.
 */
export const RoomCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{4,12}$/, "room code must be 4-12 letters or digits");
export type RoomCode = z.infer<typeof RoomCode>;

/** An opaque user id (a database id or, in dev-identity mode, what the client claims). */
export const UserId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "user id must be letters, digits, '-' or '_'");

/** A display name: free text on one line (no control characters), shown escaped by clients. */
export const DisplayName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((value) => !/[\p{Cc}\p{Cs}]/u.test(value), { message: "must not contain control characters" });

/** Only http(s) URLs or same-origin absolute paths may be played: never `javascript:` or `data:`. */
export const AudioUrl = z
  .string()
  .max(2048)
  .refine(
    (value) => {
      if (value.startsWith("/") && !value.startsWith("//")) return true;
      try {
        const { protocol } = new URL(value);
        return protocol === "http:" || protocol === "https:";
      } catch {
        return false;
      }
    },
    { message: "audioUrl must be an http(s) URL or an absolute path" },
  );

/** What every client needs to load and show a track. `duration` is in milliseconds. */
export const TrackInfo = z.object({
  audioUrl: AudioUrl,
  duration: z.number().finite().positive().max(DAY_MS),
  trackId: z.string().min(1).max(64).optional(),
  title: z.string().max(200).optional(),
  artist: z.string().max(200).optional(),
});
export type TrackInfo = z.infer<typeof TrackInfo>;

/** What a member of a live room does now: the host controls playback, listeners listen. */
export const MemberRole = z.enum(["host", "listener"]);
export type MemberRole = z.infer<typeof MemberRole>;

/** A participant as other clients see it. `isOwner`: owns the room record (not the same as host). */
export const Participant = z.object({
  userId: UserId,
  name: DisplayName,
  role: MemberRole,
  isOwner: z.boolean(),
  /** A guest (no account, issue 18) [G4]; absent from servers before it, meaning false. */
  isGuest: z.boolean().optional(),
});
export type Participant = z.infer<typeof Participant>;

/** Who may add to a room's queue: everyone in it (the default) or only the host [Q3]. */
export const QueueAddPolicy = z.enum(["everyone", "host"]);
export type QueueAddPolicy = z.infer<typeof QueueAddPolicy>;

/**
 * The durable facts of a room that its live state follows (the API's database owns them):
 * its name, its owner, whether listeners (everyone but the host) may control playback, and who
 * may add to its queue. A dev-identity room has no record: no name, no owner.
 */
export const RoomFacts = z.object({
  name: z.string().max(120).nullable(),
  ownerId: UserId.nullable(),
  listenersCanControl: z.boolean(),
  /** Absent in copies from before the queue: "everyone". */
  queueAddPolicy: QueueAddPolicy.optional(),
});
export type RoomFacts = z.infer<typeof RoomFacts>;

/**
 * {@link RoomFacts} as the API hands them to the sync server (in a ticket or a push). `version`
 * grows with every change, so the sync server adopts a copy only when it is newer than its own.
 */
export const VersionedRoomFacts = RoomFacts.extend({ version: z.number().int().min(0) });
export type VersionedRoomFacts = z.infer<typeof VersionedRoomFacts>;

/** Upper bound of each declared join timing figure (ms) [LS1]. */
export const MAX_DECLARED_TIMING_MS = 500;
