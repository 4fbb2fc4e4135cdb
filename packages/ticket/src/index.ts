export { loadOrCreateSyncSecret } from "./secret.js";
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { DisplayName, RoomCode, UserId, VersionedRoomFacts } from "@sync-beats/protocol";
import { z } from "zod";

export { signServerRequest, verifyServerRequest, SERVER_REQUEST_HEADER } from "./server-request.js";

/**
 * What a join ticket vouches for: who joins which room, and the room's durable facts as the API
 * held them when it signed (the sync server adopts them when they are newer than its own copy).
 * `exp` is a Unix time in milliseconds; `jti` makes it single-use.
 */
export const TicketClaims = z.object({
  userId: UserId,
  name: DisplayName,
  roomCode: RoomCode,
  room: VersionedRoomFacts,
  exp: z.number().int().positive(),
  jti: z.string().min(8).max(64),
  /** A guest (no account, issue 18): it joins its one room like a listener, listed as a guest. */
  guest: z.boolean().optional(),
});
export type TicketClaims = z.infer<typeof TicketClaims>;

/** Why a ticket was refused. */
export type TicketRejection = "malformed" | "bad-signature" | "expired" | "wrong-room";

export type TicketVerification =
  | { ok: true; claims: TicketClaims }
  | { ok: false; reason: TicketRejection };

/** Tickets live this long by default: enough to open a socket, too short to be worth stealing. */
export const DEFAULT_TICKET_TTL_MS = 60_000;

function mac(payload: string, secret: string): Buffer {
  return createHmac("sha256", secret).update(payload).digest();
}

/**
 * Signs claims into `base64url(json).base64url(hmac-sha256)`. `exp` and `jti` are filled in when
 * omitted.
 */
export function signTicket(
  claims: Omit<TicketClaims, "exp" | "jti"> & Partial<Pick<TicketClaims, "exp" | "jti">>,
  secret: string,
  nowMs: number = Date.now(),
): string {
  const full: TicketClaims = TicketClaims.parse({
    exp: nowMs + DEFAULT_TICKET_TTL_MS,
    jti: randomUUID(),
    ...claims,
  });
  const payload = Buffer.from(JSON.stringify(full)).toString("base64url");
  return `${payload}.${mac(payload, secret).toString("base64url")}`;
}

/**
 * Checks a ticket's signature (constant-time), expiry and room. Single use (`jti`) is the
 * verifier's job: it alone knows which tickets it has already seen.
 */
export function verifyTicket(
  ticket: string,
  secret: string,
  expected: { roomCode: string; nowMs: number },
): TicketVerification {
  const [payload, signature, extra] = ticket.split(".");
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: "malformed" };
  const given = Buffer.from(signature, "base64url");
  const wanted = mac(payload, secret);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    return { ok: false, reason: "bad-signature" };
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const parsed = TicketClaims.safeParse(decoded);
  if (!parsed.success) return { ok: false, reason: "malformed" };
  if (parsed.data.exp <= expected.nowMs) return { ok: false, reason: "expired" };
  if (parsed.data.roomCode !== expected.roomCode) return { ok: false, reason: "wrong-room" };
  return { ok: true, claims: parsed.data };
}
export { signTrackGrant, verifyTrackGrant, TrackGrantClaims, DEFAULT_TRACK_GRANT_TTL_MS } from "./track-grant.js";
