import { describe, expect, it } from "vitest";
import { exchange, pingSchedule, trueServerTime, type TrueClock } from "../test/network-model.js";
import { seededRandom } from "../test/random.js";
import { coarsenSample, type Coarsening } from "../test/timer-quantum.js";
import { ClockEstimator, DEFAULT_CLOCK_FILTER, estimateClock, serverTimeAt } from "./clock-estimator.js";

const CLOCK: TrueClock = { offsetMs: 1.764e12 - 5_000.123456, skew: 0 };

/**
 * A LAN (each leg 0.15–0.45 ms) pinged on the engine's schedule with a few ms of timer slack,
 * every local instant coarsened to `quantumMs`; the filter is told `toldQuantumMs`. Returns the
 * errors (ms) at the last ping over 20 seeds.
 */
function errors(pings: number, quantumMs: number, how: Coarsening, toldQuantumMs: number): number[] {
  const result: number[] = [];
  for (let seed = 1; seed <= 20; seed++) {
    const random = seededRandom(seed);
    const estimator = new ClockEstimator(300, false, { ...DEFAULT_CLOCK_FILTER, timerQuantumMs: toldQuantumMs });
    const times = pingSchedule(pings).map((t) => t + random() * 7);
    const lan = () => ({ up: 0.15 + random() * 0.3, down: 0.15 + random() * 0.3 });
    for (const t0 of times) estimator.add(coarsenSample(exchange(CLOCK, t0, lan), quantumMs, how));
    const at = times[times.length - 1]!;
    result.push(serverTimeAt(estimator.estimate()!, at) - trueServerTime(CLOCK, at));
  }
  return result;
}

const maxAbs = (values: number[]) => Math.max(...values.map(Math.abs));
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

describe("coarse local timers", () => {
  it("[CE14] 1 ms jittered readings (Firefox on a plain page): unwidened floors cross and the error reaches 0.5 ms; widened by the quantum it stays under 0.3 ms", () => {
    // 120 pings: the engine's first ~5 minutes.
    expect(maxAbs(errors(120, 1, "jittered", 0))).toBeGreaterThan(0.5);
    expect(maxAbs(errors(120, 1, "jittered", 1))).toBeLessThan(0.3);
    expect(Math.abs(mean(errors(120, 1, "jittered", 1)))).toBeLessThan(0.05);
  });

  it("[CE15] the error scales with the quantum: 0.1 ms (Chromium, plain) under 0.06 ms, 0.02 ms (Firefox, isolated) under 0.02 ms", () => {
    expect(maxAbs(errors(120, 0.1, "jittered", 0.1))).toBeLessThan(0.06);
    expect(maxAbs(errors(120, 0.02, "jittered", 0.02))).toBeLessThan(0.02);
  });

  it("[CE16] readings floored to the step (no jitter) leave half a step of bias, which isolation shrinks", () => {
    expect(mean(errors(120, 1, "floor", 1))).toBeCloseTo(0.5, 1);
    expect(Math.abs(mean(errors(120, 0.02, "floor", 0.02)))).toBeLessThan(0.015);
  });

  it("[CE8] a round trip down to −2 quanta is what coarse readings make, not an impossible sample", () => {
    const s = { t0: 101, t1: 5_100.4, t2: 5_100.45, t3: 100 };
    const coarse = { ...DEFAULT_CLOCK_FILTER, timerQuantumMs: 1 };
    expect(estimateClock([s], coarse)?.samples).toBe(1);
    expect(estimateClock([s], DEFAULT_CLOCK_FILTER)).toBeNull();
  });
});
