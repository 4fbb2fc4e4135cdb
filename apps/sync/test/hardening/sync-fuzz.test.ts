import fc from "fast-check";
import { describe, it } from "vitest";
import { counters, sessionProperty } from "./fuzz-session.js";

/**
 * [FZ-S1] Every frame, valid or not, gets the answer the reference model predicts (a typed `error`
 * for every bad frame, no `INTERNAL`), the socket stays open except on a protocol mismatch, and
 * the room's host and timeline equal the model's afterwards. `npm run fuzz` runs the same property
 * with ≥ 100k frames; here a fixed seed keeps `npm test` fast and repeatable.
 */
describe("sync server fuzz (in-memory)", () => {
  it("[FZ-S1] random frames from host, guests and a stranger: typed errors, room equals the model (seed 8001)", async () => {
    await fc.assert(sessionProperty(40), { seed: 8001, numRuns: 150 });
    console.log(`[FZ-S1] ${counters.sessions} sessions, ${counters.frames} frames, ${counters.errorFrames} refused, ${counters.broadcasts} broadcasts`);
  }, 120_000);
});
