import { createHmac, timingSafeEqual } from "node:crypto";

/** The header that carries a server-to-server request's signature. */
export const SERVER_REQUEST_HEADER = "x-sync-beats-signature";

/** A signed request older or newer than this (by the receiver's wall clock) is refused: no replay after it. */
const MAX_SKEW_MS = 30_000;

function mac(secret: string, signedAt: number, method: string, path: string, body: string): Buffer {
  return createHmac("sha256", secret).update(`${signedAt}\n${method}\n${path}\n${body}`).digest();
}

/**
 * Signs one API → sync server request (`<signedAt>.<base64url hmac-sha256>` over the time,
 * method, path and body) with the shared sync secret.
 */
export function signServerRequest(secret: string, request: { method: string; path: string; body: string }, nowMs: number = Date.now()): string {
  const signedAt = Math.floor(nowMs);
  return `${signedAt}.${mac(secret, signedAt, request.method, request.path, request.body).toString("base64url")}`;
}

/** Checks a signature made by {@link signServerRequest} (constant-time, within ±30 s of `nowMs`). */
export function verifyServerRequest(
  secret: string,
  signature: string | undefined,
  request: { method: string; path: string; body: string },
  nowMs: number,
): boolean {
  const [stamp, digest, extra] = (signature ?? "").split(".");
  if (!stamp || !digest || extra !== undefined || !/^\d{1,16}$/.test(stamp)) return false;
  const signedAt = Number(stamp);
  if (Math.abs(nowMs - signedAt) > MAX_SKEW_MS) return false;
  const given = Buffer.from(digest, "base64url");
  const wanted = mac(secret, signedAt, request.method, request.path, request.body);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
