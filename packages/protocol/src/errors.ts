import { z } from "zod";

/** Codes carried by the `error` frame. */
export const ErrorCode = z.enum([
  "BAD_JSON",
  "UNKNOWN_TYPE",
  "INVALID_MESSAGE",
  "FRAME_TOO_LARGE",
  "BINARY_NOT_SUPPORTED",
  "NOT_JOINED",
  "ALREADY_JOINED",
  /** The sender may not control playback: not the host, and the room does not let listeners. */
  "NOT_HOST",
  "NO_TRACK",
  /** A calibration is already running in the room (CAL11). */
  "CALIBRATION_RUNNING",
  /** Hosting can only be handed to someone in the room now. */
  "NOT_PARTICIPANT",
  /** The owner deleted the room. */
  "ROOM_CLOSED",
  "UNAUTHORIZED",
  /** The client's newest protocol version is older than the server's oldest (the error carries the server's range). */
  "CLIENT_TOO_OLD",
  /** The client's oldest protocol version is newer than the server's newest. */
  "SERVER_TOO_OLD",
  "RATE_LIMITED",
  /** A queue add named no track the library vouches for (forged, expired or unplayable grant) [Q2]. */
  "UNKNOWN_TRACK",
  /** The queue already holds its maximum number of items [Q4]. */
  "QUEUE_FULL",
  /** A queue command named an item or position the queue no longer has [Q6]. */
  "STALE_QUEUE",
  /** The sender may not make this queue change (policy, not their item, host only) [Q3, Q5, Q7]. */
  "NOT_ALLOWED",
  /** Only the room's owner may do this (remove a chat message or a person). */
  "NOT_OWNER",
  /** The chat message is not (or no longer) in the room's history. */
  "NO_SUCH_MESSAGE",
  /** The room's owner removed this user from the room: they may not join it again. */
  "REMOVED",
  /** A dependency (the Redis backplane) is unreachable: retry shortly. */
  "UNAVAILABLE",
  "INTERNAL",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** WebSocket close codes the sync server uses (4000-4999 is the application range). */
export const CloseCode = {
  /** The client and the server share no protocol version (`CLIENT_TOO_OLD` / `SERVER_TOO_OLD`). */
  PROTOCOL_MISMATCH: 4000,
  /** The join ticket was missing, forged, expired or for another room. */
  UNAUTHORIZED: 4001,
  /** The client did not join within the allowed time after connecting. */
  JOIN_TIMEOUT: 4002,
  /** The room was deleted by its owner; do not reconnect. */
  ROOM_CLOSED: 4004,
  /** The room's owner removed this user from the room; do not reconnect. */
  REMOVED: 4011,
  /** The server is shutting down; reconnect with backoff. */
  GOING_AWAY: 1001,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
