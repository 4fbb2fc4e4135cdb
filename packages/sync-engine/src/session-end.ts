import type { ErrorCode } from "@sync-beats/protocol";
import type { ClosedReason, EngineError } from "./types.js";

/** What the page says when the server and the page share no protocol version. */
export const VERSION_MESSAGES = {
  CLIENT_TOO_OLD: "this page is older than the server: reload",
  SERVER_TOO_OLD: "the server is older than this page: try again once it is updated",
  PROTOCOL_MISMATCH: "this page and the server speak different protocol versions: reload",
} as const;

/** What the page says when the room's owner removed this user [CH8]. */
export const REMOVED_MESSAGE = "the room's owner removed you from this room";

/** A reason to stop for good, and what to tell the page about it. */
export interface SessionEnd {
  readonly reason: Exclude<ClosedReason, "disconnected">;
  /** The error to report; null keeps the one already reported (the server's frame said more). */
  readonly error: Pick<EngineError, "code" | "message"> | null;
  /** Set when the room was deleted. */
  readonly roomClosed: { readonly reason: string } | null;
}

/** An `error` frame that ends the session (no shared version, a deleted room), or null for the rest (pure). */
export function endFromError(code: ErrorCode, message: string): SessionEnd | null {
  switch (code) {
    case "CLIENT_TOO_OLD":
    case "SERVER_TOO_OLD":
      return { reason: "protocol mismatch", error: { code, message: VERSION_MESSAGES[code] }, roomClosed: null };
    case "REMOVED":
      return { reason: "removed", error: { code, message: REMOVED_MESSAGE }, roomClosed: null };
    case "ROOM_CLOSED":
      // A join to a deleted room: no `room_closed` broadcast, only this refusal and 4004.
      return { reason: "room closed", error: null, roomClosed: { reason: message } };
    default:
      return null;
  }
}

/**
 * A final close (pure). It normally follows the frame that said why (then that frame's end is
 * already in force and this close is stale); a bare one still gets a message.
 */
export function endFromClose(reason: SessionEnd["reason"], closeReason: string): SessionEnd {
  switch (reason) {
    case "protocol mismatch":
      return { reason, error: { code: "PROTOCOL_MISMATCH", message: VERSION_MESSAGES.PROTOCOL_MISMATCH }, roomClosed: null };
    case "room closed":
      return { reason, error: null, roomClosed: { reason: closeReason || "this room was deleted" } };
    case "removed":
      return { reason, error: { code: "REMOVED", message: REMOVED_MESSAGE }, roomClosed: null };
    case "unauthorized":
      return { reason, error: { code: "UNAUTHORIZED", message: closeReason || "not allowed to join this room" }, roomClosed: null };
  }
}
