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

/** Turns a `join` into an identity, or rejects with a {@link ProtocolError} that closes the socket. */
export type IdentityVerifier = (join: ClientMessageOf<"join">, nowMs: number) => Promise<Identity>;

/** Records `key` until `untilMs` and resolves true, or resolves false when it was already recorded. */
export type ClaimOnce = (key: string, untilMs: number, nowMs: number) => Promise<boolean>;

/** Claims remembered in this process only, until they would have expired anyway. */
export function localClaims(): ClaimOnce {
  const seen = new Map<string, number>();
  return async (key, untilMs, nowMs) => {
    for (const [claimed, until] of seen) if (until <= nowMs) seen.delete(claimed);
    if (seen.has(key)) return false;
    seen.set(key, untilMs);
    return true;
  };
}

function unauthorized(message: string): ProtocolError {
  return new ProtocolError("UNAUTHORIZED", message, CloseCode.UNAUTHORIZED);
}

/**
 * Production identity: an API-signed ticket, single use. Its id is claimed through `claimOnce`
 * (the backplane's, so a ticket joins once across every node) until the ticket would have expired.
 */
export function ticketVerifier(secret: string, claimOnce: ClaimOnce = localClaims()): IdentityVerifier {
  return async (join, nowMs) => {
    if (!join.ticket) throw unauthorized("a ticket is required to join");
    const result = verifyTicket(join.ticket, secret, { roomCode: join.roomCode, nowMs });
    if (!result.ok) throw unauthorized(`ticket refused: ${result.reason}`);
    if (!(await claimOnce(result.claims.jti, result.claims.exp, nowMs))) throw unauthorized("ticket refused: already used");
    const { userId, name, role, canControl } = result.claims;
    return { userId, name, claimsHost: role === "host", canControl: canControl || role === "host" };
  };
}

/**
 * Development identity: trusts the `userId` in the message. Only for tests and local tinkering;
 * the server refuses to start with it in production.
 */
export const devIdentityVerifier: IdentityVerifier = async (join) => {
  if (!join.userId) throw new ProtocolError("INVALID_MESSAGE", "join needs a userId in dev-identity mode");
  return { userId: join.userId, name: join.name ?? join.userId, claimsHost: false, canControl: false };
};
