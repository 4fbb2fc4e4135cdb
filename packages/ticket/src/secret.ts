import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The secret the API signs tickets with and the sync server checks them with: `SYNC_SECRET` when
 * set, otherwise `<dataDir>/sync-secret`, created (mode 0600) on first use so that a fresh clone
 * works with no configuration and both servers agree.
 */
export function loadOrCreateSyncSecret(dataDir: string, fromEnv: string | undefined = process.env.SYNC_SECRET): string {
  if (fromEnv) {
    if (fromEnv.length < 16) throw new Error("SYNC_SECRET must be at least 16 characters");
    return fromEnv;
  }
  const file = join(dataDir, "sync-secret");
  mkdirSync(dataDir, { recursive: true });
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    const secret = randomBytes(32).toString("base64url");
    try {
      // "wx": if the other server created it a moment ago, keep theirs.
      writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
      return secret;
    } catch {
      return readFileSync(file, "utf8").trim();
    }
  }
}
