import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("loadConfig", () => {
  const dataDir = () => mkdtempSync(join(tmpdir(), "sb-sync-config-"));

  it("defaults to port 6001, ticket identity and the spec's 200 ms lead", () => {
    const config = loadConfig({ DATA_DIR: dataDir() });
    expect(config.port).toBe(6001);
    expect(config.ticketSecret?.length).toBeGreaterThanOrEqual(32);
    expect(config.room).toMatchObject({ leadMs: 200, resyncThresholdMs: 500, hostGraceMs: 10_000, firstJoinerHosts: false });
  });

  it("dev identity lets the first joiner host and is refused in production", () => {
    expect(loadConfig({ SYNC_DEV_IDENTITY: "1" })).toMatchObject({ ticketSecret: null, room: { firstJoinerHosts: true } });
    expect(() => loadConfig({ SYNC_DEV_IDENTITY: "1", NODE_ENV: "production" })).toThrow(/refused in production/);
  });

  it("rejects nonsense values", () => {
    expect(() => loadConfig({ PORT: "nope", DATA_DIR: dataDir() })).toThrow();
    expect(() => loadConfig({ SYNC_LEAD_MS: "-5", DATA_DIR: dataDir() })).toThrow();
  });
});
