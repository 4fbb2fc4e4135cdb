import type { ClientMessageOf } from "@sync-beats/protocol";
import { verifyTicket } from "@sync-beats/ticket";
import { CloseCode } from "@sync-beats/protocol";
import { ProtocolError } from "./errors.js";

/** Who a joined connection is, and what it may do in its room. */
export interface Identity {
  userId: string;
  name: string;
  /** The ticket names this user the room's host (the API is the source of truth for hosts). */
  claimsHost: boolean;
  /** May send control messages even when not the host (the room lets guests control). */
  canControl: boolean;
}

/** Turns a `join` into an identity, or throws a {@link ProtocolError} that closes the socket. */
export type IdentityVerifier = (join: ClientMessageOf<"join">, nowMs: number) => Identity;

function unauthorized(message: string): ProtocolError {
  return new ProtocolError("UNAUTHORIZED", message, CloseCode.UNAUTHORIZED);
}

/**
 * Production identity: an API-signed ticket, single use. Seen ticket ids are remembered until
 * the ticket would have expired anyway, so the memory is bounded by the ticket rate × TTL.
 */
export function ticketVerifier(secret: string): IdentityVerifier {
  const seen = new Map<string, number>();
  return (join, nowMs) => {
    if (!join.ticket) throw unauthorized("a ticket is required to join");
    const result = verifyTicket(join.ticket, secret, { roomCode: join.roomCode, nowMs });
    if (!result.ok) throw unauthorized(`ticket refused: ${result.reason}`);
    for (const [jti, exp] of seen) if (exp <= nowMs) seen.delete(jti);
    if (seen.has(result.claims.jti)) throw unauthorized("ticket refused: already used");
    seen.set(result.claims.jti, result.claims.exp);
    const { userId, name, role, canControl } = result.claims;
    return { userId, name, claimsHost: role === "host", canControl: canControl || role === "host" };
  };
}

/**
 * Development identity: trusts the `userId` in the message. Only for tests and local tinkering;
 * the server refuses to start with it in production.
 */
export const devIdentityVerifier: IdentityVerifier = (join) => {
  if (!join.userId) throw new ProtocolError("INVALID_MESSAGE", "join needs a userId in dev-identity mode");
  return { userId: join.userId, name: join.name ?? join.userId, claimsHost: false, canControl: false };
};
