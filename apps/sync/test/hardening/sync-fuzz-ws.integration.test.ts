import fc from "fast-check";
import { describe, it } from "vitest";
import { counters, LIMITS, sessionProperty } from "./fuzz-session.js";
import { wsTransport } from "./ws-transport.js";

/**
 * [FZ-S2] The in-memory fuzz of FZ-S1 over real WebSockets: the `ws` server's framing, UTF-8
 * handling, payload cap and binary frames sit between the generated frames and the model. The
 * server runs on a fake clock, so the model still predicts every answer exactly, including the
 * 4002 join timeout of connections that never join.
 */
describe("sync server fuzz (real WebSockets)", () => {
  it("[FZ-S2] random frames over ws: typed errors, documented closes only, room equals the model (seed 8002)", async () => {
    const before = counters.frames;
    await fc.assert(sessionProperty(30, () => wsTransport(LIMITS)), { seed: 8002, numRuns: 40 });
    console.log(`[FZ-S2] ${counters.frames - before} frames over real sockets`);
  }, 120_000);
});
