import { CloseCode, type ClientMessageOf, type VersionedRoomFacts } from "@sync-beats/protocol";
import { verifyTicket } from "@sync-beats/ticket";
import { ProtocolError } from "./errors.js";

/**
 * Who a joined connection is. What it may do is not here: that is the live room's to decide
 * (who hosts now, whether listeners may control).
 */
export interface Identity {
  userId: string;
  name: string;
  /** The room's durable facts as the API signed them into the ticket; null in dev identity. */
  room: VersionedRoomFacts | null;
  /** Joined through an invite link without an account (issue 18): listed as a guest, controls like a listener. Absent: false. */
  isGuest?: boolean;
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
    const { userId, name, room, guest } = result.claims;
    return { userId, name, room, isGuest: guest === true };
  };
}

/**
 * Development identity: trusts the `userId` in the message. Only for tests and local tinkering;
 * the server refuses to start with it in production.
 */
export const devIdentityVerifier: IdentityVerifier = async (join) => {
  if (!join.userId) throw new ProtocolError("INVALID_MESSAGE", "join needs a userId in dev-identity mode");
  return { userId: join.userId, name: join.name ?? join.userId, room: null };
};
