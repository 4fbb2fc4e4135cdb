import { describe, expect, it } from "vitest";
import { exchange, trueServerTime, type TrueClock } from "../test/network-model.js";
import { seededRandom } from "../test/random.js";
import { estimateClock, serverTimeAt, type ClockSample } from "./clock-estimator.js";
import { supportSlope } from "./envelope.js";
import { pingPeriodMs } from "./engine-timing.js";

const EPOCH: TrueClock = { offsetMs: 1.764e12, skew: 0 };
const JOIN_MS = 1_000;
const SESSION_MS = 40_000;

/** Exchanges on the engine's ping schedule for a session, each leg's delay from `legs` (ms since joining). */
function listener(seed: number, clock: TrueClock, legs: (sinceJoinMs: number, random: () => number) => { up: number; down: number }): ClockSample[] {
  const random = seededRandom(seed);
  const samples: ClockSample[] = [];
  for (let t = JOIN_MS; t - JOIN_MS < SESSION_MS; t += pingPeriodMs(t - JOIN_MS)) samples.push(exchange(clock, t, () => legs(t - JOIN_MS, random)));
  return samples;
}

/**
 * A listener whose main thread grows busier once playback starts: its pongs are handled 0–30 ms
 * late, and the least of those lags rises from 0 to 4 ms over the session; the up leg (the send
 * leaves at once) stays 30–35 ms.
 */
const busyListener = (seed: number) => listener(seed, EPOCH, (since, random) => ({ up: 30 + 5 * random(), down: 30 + (4 * since) / SESSION_MS + 30 * random() }));

/** CE6's former rate: the plain mean of the two legs' support slopes. */
function unweightedRate(samples: readonly ClockSample[]): number {
  const up = supportSlope(samples.map((s) => ({ x: s.t0, y: s.t1 - s.t0 })), "below")!;
  const down = supportSlope(samples.map((s) => ({ x: s.t3, y: s.t2 - s.t3 })), "above")!;
  return (up + down) / 2;
}

describe("the rate from legs of unequal queueing", () => {
  it("[CE19] a leg whose delays spread and drift (pongs handled by a busy main thread) weighs less than the steady leg", () => {
    let weightedSkew = 0;
    let plainSkew = 0;
    let worstErrorMs = 0;
    const seeds = 12;
    for (let seed = 1; seed <= seeds; seed++) {
      const samples = busyListener(seed);
      const est = estimateClock(samples)!;
      const at = samples[samples.length - 1]!.t3;
      weightedSkew += Math.abs(est.skew) / seeds;
      plainSkew += Math.abs(unweightedRate(samples)) / seeds;
      worstErrorMs = Math.max(worstErrorMs, Math.abs(serverTimeAt(est, at) - trueServerTime(EPOCH, at)));
    }
    // The true rate is 0: the drift of the down leg's floor is not a clock.
    expect(plainSkew).toBeGreaterThan(40e-6);
    // The plain mean left a shrunk rate of ~22 ppm and errors up to 2.1 ms here.
    expect(weightedSkew).toBeLessThan(0.2 * plainSkew);
    expect(worstErrorMs).toBeLessThan(1);
  });
});

/**
 * Both legs queue alike (so CE19 weighs them nearly alike), but the down leg's floor drifts by
 * 8 ms over the session (pongs handled later and later); the true rate is 50 ppm.
 */
const driftingListener = (seed: number, clock: TrueClock) =>
  listener(seed, clock, (since, random) => ({ up: 30 + 10 * random(), down: 30 + (8 * since) / SESSION_MS + 10 * random() }));

describe("projecting the offset bounds when the legs disagree", () => {
  it("[CE20] legs whose slopes disagree beyond their jitter pull the projecting rate in: the offset error stays small", () => {
    const clock: TrueClock = { ...EPOCH, skew: 50e-6 };
    const seeds = 12;
    let meanErrorMs = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const samples = driftingListener(seed, clock);
      const est = estimateClock(samples)!;
      const at = samples[samples.length - 1]!.t3;
      meanErrorMs += Math.abs(serverTimeAt(est, at) - trueServerTime(clock, at)) / seeds;
    }
    // Projected with the raw slope (CE17 alone) the mean error was 2.56 ms; the floors' own drift
    // (half of the down leg's 8 ms) stays whatever the rate.
    expect(meanErrorMs).toBeLessThan(2.4);
  });
});
