import { z } from "zod";

/** Wire protocol version; a client whose `join` names another version is closed with {@link CloseCode.PROTOCOL_MISMATCH}. */
export const PROTOCOL_VERSION = 1;

const DAY_MS = 24 * 60 * 60 * 1000;

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

/** A participant as other clients see it. */
export const Participant = z.object({
  userId: UserId,
  name: DisplayName,
  isHost: z.boolean(),
});
export type Participant = z.infer<typeof Participant>;
