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
    expect(() => loadConfig({ PORT: "nope", DATA_DIR: dataDir() })).toThrow(/PORT="nope": must be a number/);
    expect(() => loadConfig({ SYNC_LEAD_MS: "-5", DATA_DIR: dataDir() })).toThrow(/SYNC_LEAD_MS="-5": must be at least 0/);
  });

  it.each([
    ["SYNC_HEARTBEAT_MS", "0", /must be at least 1000/],
    ["SYNC_HEARTBEAT_MS", "1.5", /must be a whole number/],
    ["SYNC_HOST_GRACE_MS", String(2 ** 31), /must be at most 2147483647/],
    ["SYNC_RESYNC_THRESHOLD_MS", "0", /must be at least 1/],
    ["SYNC_MAX_FRAME_BYTES", "10", /must be at least 1024/],
    ["PORT", "70000", /must be at most 65535/],
    ["SYNC_QUEUE_LOOKAHEAD_MS", "soon", /must be a number/],
  ])("refuses %s=%s at start, naming the setting and the bound", (name, value, problem) => {
    expect(() => loadConfig({ [name]: value, DATA_DIR: dataDir() })).toThrow(new RegExp(`${name}="${value.replace(".", "\\.")}": ${problem.source}`));
  });

  it("lists every wrong setting at once", () => {
    expect(() => loadConfig({ SYNC_HEARTBEAT_MS: "0", SYNC_LEAD_MS: "-1", DATA_DIR: dataDir() })).toThrow(/SYNC_LEAD_MS="-1"[^]*SYNC_HEARTBEAT_MS="0"/);
  });

  it("keeps the bounds' own values", () => {
    const config = loadConfig({ SYNC_HEARTBEAT_MS: "1000", SYNC_MAX_FRAME_BYTES: "1024", PORT: "0", DATA_DIR: dataDir() });
    expect(config).toMatchObject({ heartbeatMs: 1000, port: 0, limits: { maxFrameBytes: 1024 } });
  });
});
