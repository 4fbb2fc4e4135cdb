import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/** scrypt cost (N = 2^15 per OWASP's minimum recommendation), block size, parallelism, key length. */
const PARAMS = { N: 2 ** 15, r: 8, p: 1, keyLength: 64 } as const;
// N=2^15, r=8 needs 32 MiB; Node's default cap is exactly 32 MiB, so raise it a little.
const MAXMEM = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, options: ScryptOptions, keyLength: number): Promise<Buffer> {
  return new Promise((resolvePromise, reject) =>
    scrypt(password.normalize("NFKC"), salt, keyLength, { ...options, maxmem: MAXMEM }, (error, key) =>
      error ? reject(error) : resolvePromise(key),
    ),
  );
}

/** `scrypt$N$r$p$salt$hash` (base64url), with a fresh 16-byte salt per call. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS, PARAMS.keyLength);
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/**
 * Constant-time check. A malformed or unusable hash (the system user's "!", or {@link NO_USER_HASH}
 * for an unknown username) never matches but costs the same, so latency does not reveal whether an
 * account exists.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltText, keyText, extra] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !saltText || !keyText || extra !== undefined) {
    // Still spend the time, so an unusable account is not distinguishable by latency.
    await derive(password, DUMMY_SALT, PARAMS, PARAMS.keyLength);
    return false;
  }
  const expected = Buffer.from(keyText, "base64url");
  const actual = await derive(password, Buffer.from(saltText, "base64url"), { N: Number(n), r: Number(r), p: Number(p) }, expected.length);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Salt for the decoy derivation when the stored hash is unusable or the user is unknown. */
const DUMMY_SALT = Buffer.alloc(16);

/** Pass this when the username is unknown: fails after the same work as a real check. */
export const NO_USER_HASH = "!";
