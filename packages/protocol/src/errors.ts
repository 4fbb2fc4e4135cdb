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
  "NOT_HOST",
  "NO_TRACK",
  "UNAUTHORIZED",
  "PROTOCOL_MISMATCH",
  "RATE_LIMITED",
  /** A dependency (the Redis backplane) is unreachable: retry shortly. */
  "UNAVAILABLE",
  "INTERNAL",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** WebSocket close codes the sync server uses (4000-4999 is the application range). */
export const CloseCode = {
  /** The client's protocol version differs from the server's. */
  PROTOCOL_MISMATCH: 4000,
  /** The join ticket was missing, forged, expired or for another room. */
  UNAUTHORIZED: 4001,
  /** The client did not join within the allowed time after connecting. */
  JOIN_TIMEOUT: 4002,
  /** The server is shutting down; reconnect with backoff. */
  GOING_AWAY: 1001,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
