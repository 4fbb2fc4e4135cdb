import { describe, expect, it } from "vitest";
import { estimateClockNaive, serverTimeAt } from "./clock-estimator.js";
import { NAIVE_DRIFT_CONTROL } from "./drift-controller.js";
import { NAIVE_RESYNC_THRESHOLD_MS, naiveSeedSchedule } from "./naive.js";

describe("naive seed algorithm", () => {
  it("[NV1] takes one ping at face value: offset via RTT/2, delay until the start", () => {
    // Sent at local 100, server says 10_060 when it answers, received at local 140.
    const s = naiveSeedSchedule(100, 10_060, 140, 10_500);
    expect(s).toEqual({ rttMs: 40, latencyMs: 20, offsetMs: 9_940, delayMs: 10_500 - (140 + 9_940) });
  });

  it("[NV2] agrees with the engine's naive estimate and threshold", () => {
    const est = estimateClockNaive([{ t0: 100, t1: 10_059, t2: 10_060, t3: 140 }])!;
    expect(serverTimeAt(est, 140)).toBe(140 + naiveSeedSchedule(100, 10_060, 140, 0).offsetMs);
    expect(NAIVE_DRIFT_CONTROL.hardSeekMs).toBe(NAIVE_RESYNC_THRESHOLD_MS);
  });
});
