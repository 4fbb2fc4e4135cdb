import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachBackend } from "../harness.js";
import { restCounters, startRestFuzz } from "./rest-fuzz.js";

/**
 * [FZ-A1] Generated requests to every route never get a 5xx; every refusal is a typed error body
 * whose status matches its code and leaves the database and track files untouched; every success
 * matches the protocol. `npm run fuzz` runs the same property with many more requests.
 */
describeEachBackend("REST fuzz", (backend) => {
  let fuzz: Awaited<ReturnType<typeof startRestFuzz>>;
  beforeAll(async () => {
    fuzz = await startRestFuzz(backend);
  });
  afterAll(() => fuzz.close());

  it("[FZ-A1] every route, generated bodies and parameters: < 500, typed refusals, no change on refusal (seed 8101)", async () => {
    const before = restCounters.requests;
    await fc.assert(fuzz.property(8), { seed: 8101, numRuns: 30 });
    expect(restCounters.refused).toBeGreaterThan(0);
    console.log(`[FZ-A1 ${backend}] ${restCounters.requests - before} requests; statuses ${[...restCounters.byStatus].sort().map(([s, n]) => `${s}×${n}`).join(" ")}`);
  }, 180_000);
});
