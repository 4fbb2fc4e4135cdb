import { createHmac, timingSafeEqual } from "node:crypto";
import { TrackInfo } from "@sync-beats/protocol";
import { z } from "zod";

/**
 * A track grant: the API's signed statement that a library track exists and plays from
 * `audioUrl` for `duration` ms (queue rule Q2). The sync server queues only what a grant says,
 * so it never has to ask the API (which owns the library) and never trusts a client's claim.
 * Track content never changes under an id, so a grant only needs to expire for hygiene.
 */
export const TrackGrantClaims = z.object({
  track: TrackInfo.extend({ trackId: z.string().min(1).max(64) }),
  exp: z.number().int().positive(),
});
export type TrackGrantClaims = z.infer<typeof TrackGrantClaims>;

/** Grants live this long: a library page left open for a day still queues. */
export const DEFAULT_TRACK_GRANT_TTL_MS = 24 * 60 * 60 * 1000;

/** Domain-separated from join tickets: a ticket is never a valid grant, nor the reverse. */
function mac(payload: string, secret: string): Buffer {
  return createHmac("sha256", secret).update(`track-grant\n${payload}`).digest();
}

/** Signs `track` into `base64url(json).base64url(hmac-sha256)`, valid for `ttlMs` from `nowMs`. */
export function signTrackGrant(
  track: TrackGrantClaims["track"],
  secret: string,
  nowMs: number = Date.now(),
  ttlMs: number = DEFAULT_TRACK_GRANT_TTL_MS,
): string {
  const claims = TrackGrantClaims.parse({ track, exp: Math.floor(nowMs + ttlMs) });
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${payload}.${mac(payload, secret).toString("base64url")}`;
}

/** The track a grant vouches for, or null when it is malformed, forged or expired (constant-time check). */
export function verifyTrackGrant(grant: string, secret: string, nowMs: number): TrackGrantClaims["track"] | null {
  const [payload, signature, extra] = grant.split(".");
  if (!payload || !signature || extra !== undefined) return null;
  const given = Buffer.from(signature, "base64url");
  const wanted = mac(payload, secret);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return null;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const parsed = TrackGrantClaims.safeParse(decoded);
  if (!parsed.success || parsed.data.exp <= nowMs) return null;
  return parsed.data.track;
}
