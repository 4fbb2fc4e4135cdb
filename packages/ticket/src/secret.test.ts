import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadOrCreateSyncSecret } from "./secret.js";

describe("loadOrCreateSyncSecret", () => {
  it("creates one secret file and returns the same secret afterwards", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "sb-secret-")), "data");
    const first = loadOrCreateSyncSecret(dir, undefined);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadOrCreateSyncSecret(dir, undefined)).toBe(first);
    expect(readFileSync(join(dir, "sync-secret"), "utf8")).toBe(first);
    expect(statSync(join(dir, "sync-secret")).mode & 0o077).toBe(0);
  });

  it("prefers SYNC_SECRET and refuses a short one", () => {
    const dir = mkdtempSync(join(tmpdir(), "sb-secret-"));
    expect(loadOrCreateSyncSecret(dir, "0123456789abcdef-env")).toBe("0123456789abcdef-env");
    expect(() => loadOrCreateSyncSecret(dir, "short")).toThrow(/16 characters/);
  });
});
