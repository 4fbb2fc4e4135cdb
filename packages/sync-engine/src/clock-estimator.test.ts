import { describe, expect, it } from "vitest";
import { exchange, pingSchedule, trueServerTime, type DelayModel, type TrueClock } from "../test/network-model.js";
import { exponential, seededRandom } from "../test/random.js";
import { supportSlope } from "./envelope.js";
import {
  ClockEstimator,
  estimateClock,
  estimateClockNaive,
  localTimeAt,
  sampleDelay,
  sampleOffset,
  serverTimeAt,
  type ClockSample,
} from "./clock-estimator.js";

const EPOCH_CLOCK: TrueClock = { offsetMs: 1.764e12 - 5_000, skew: 0 };

/** Feeds `count` pings through `delays`; returns the estimator and the error (ms) at `evalAt(lastT0)`. */
function run(clock: TrueClock, delays: DelayModel, count: number, evalOffsetMs = 0) {
  const estimator = new ClockEstimator();
  const times = pingSchedule(count);
  for (const t0 of times) estimator.add(exchange(clock, t0, delays));
  const at = times[times.length - 1]! + evalOffsetMs;
  const est = estimator.estimate()!;
  return { est, errorMs: serverTimeAt(est, at) - trueServerTime(clock, at) };
}

function meanAbsError(seeds: number, count: number, model: (random: () => number) => DelayModel): number {
  let total = 0;
  for (let seed = 1; seed <= seeds; seed++) total += Math.abs(run(EPOCH_CLOCK, model(seededRandom(seed)), count).errorMs);
  return total / seeds;
}

describe("sample maths", () => {
  it("[CE1] computes NTP offset and delay from the four timestamps", () => {
    const s: ClockSample = { t0: 100, t1: 1_110, t2: 1_111, t3: 131 };
    expect(sampleOffset(s)).toBe(995);
    expect(sampleDelay(s)).toBe(30);
  });

  it("[CE2] localTimeAt inverts serverTimeAt, with skew", () => {
    const est = { refLocalMs: 5_000, offsetMs: 1.7e12, skew: 87e-6, bestDelayMs: 1, lastDelayMs: 1, samples: 1, floorErrorMs: 0 };
    for (const local of [0, 5_000, 123_456.789]) {
      expect(localTimeAt(est, serverTimeAt(est, local))).toBeCloseTo(local, 3);
    }
  });
});

describe("estimateClock with synthetic networks", () => {
  it("[CE3] symmetric jitter: the error shrinks towards 0 as samples accumulate", () => {
    // Each leg: 25 ms base + independent exponential queueing (mean 10 ms).
    const model = (random: () => number): DelayModel => () => ({
      up: 25 + exponential(random, 10),
      down: 25 + exponential(random, 10),
    });
    const few = meanAbsError(20, 3, model);
    const burst = meanAbsError(20, 10, model);
    const many = meanAbsError(20, 64, model);
    expect(few).toBeGreaterThan(1);
    expect(burst).toBeLessThan(few);
    expect(many).toBeLessThan(burst);
    expect(many).toBeLessThan(0.3);
  });

  it("[CE4] symmetric uniform jitter 50±20 ms per leg: under 1 ms in 3 minutes, 0.5 ms in 10", () => {
    const model = (random: () => number): DelayModel => () => ({ up: 30 + 40 * random(), down: 30 + 40 * random() });
    expect(meanAbsError(20, 64, model)).toBeLessThan(1);
    expect(meanAbsError(20, 200, model)).toBeLessThan(0.5);
  });

  it("[CE5] asymmetric fixed legs: the error is (up − down)/2, the theoretical limit", () => {
    const random = seededRandom(7);
    const { errorMs } = run(EPOCH_CLOCK, () => ({ up: 20 + 0.2 * random(), down: 80 + 0.2 * random() }), 40);
    expect(errorMs).toBeCloseTo((20 - 80) / 2, 0);
    expect(Math.abs(Math.abs(errorMs) - Math.abs(20 - 80) / 2)).toBeLessThan(0.3);
  });

  it.each([100e-6, -100e-6])("[CE6] tracks a clock skew of %s and holds between pings", (skew) => {
    const random = seededRandom(3);
    const clock: TrueClock = { offsetMs: EPOCH_CLOCK.offsetMs, skew };
    // Halfway to the next ping is where a rate-blind estimate is worst.
    const { est, errorMs } = run(clock, () => ({ up: 5 + random(), down: 5 + random() }), 64, 1_500);
    expect(Math.abs(est.skew - skew) * 1e6).toBeLessThan(5);
    expect(Math.abs(errorMs)).toBeLessThan(0.2);
  });

  it("[CE7] rejects outlier spikes that a plain average would follow", () => {
    const random = seededRandom(11);
    // One ping in four is hit by a 150–250 ms spike on its down leg (a burst of downstream traffic).
    const delays: DelayModel = () => {
      const spike = random() < 0.25 ? 150 + 100 * random() : 0;
      return { up: 10 + 0.3 * random(), down: 10 + 0.3 * random() + spike };
    };
    const samples = pingSchedule(40).map((t0) => exchange(EPOCH_CLOCK, t0, delays));
    const est = estimateClock(samples)!;
    const at = samples[samples.length - 1]!.t3;
    expect(Math.abs(serverTimeAt(est, at) - trueServerTime(EPOCH_CLOCK, at))).toBeLessThan(0.3);
    const meanOffset = samples.reduce((sum, s) => sum + sampleOffset(s), 0) / samples.length;
    expect(Math.abs(at + meanOffset - trueServerTime(EPOCH_CLOCK, at))).toBeGreaterThan(5);
  });

  it("[CE11] shrinks rates the jitter cannot support (60 s of 50±20 ms pings, true skew 0)", () => {
    let rawTotal = 0;
    let shrunkTotal = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const random = seededRandom(seed);
      const noisy = pingSchedule(30).map((t0) =>
        exchange(EPOCH_CLOCK, t0, () => ({ up: 30 + 40 * random(), down: 30 + 40 * random() })),
      );
      const up = supportSlope(noisy.map((s) => ({ x: s.t0, y: s.t1 - s.t0 })), "below")!;
      const down = supportSlope(noisy.map((s) => ({ x: s.t3, y: s.t2 - s.t3 })), "above")!;
      rawTotal += Math.abs((up + down) / 2);
      shrunkTotal += Math.abs(estimateClock(noisy)!.skew);
    }
    expect(shrunkTotal).toBeLessThan(0.6 * rawTotal);
  });

  it("[CE8] ignores impossible samples (negative delay)", () => {
    const good: ClockSample = { t0: 0, t1: 1005, t2: 1005, t3: 10 };
    const bad: ClockSample = { t0: 20, t1: 5000, t2: 5100, t3: 21 };
    const est = estimateClock([good, bad])!;
    expect(est.offsetMs).toBe(1000);
    expect(estimateClock([])).toBeNull();
  });

  it("[CE9] does not fit a rate before the samples span long enough", () => {
    const random = seededRandom(5);
    const clock: TrueClock = { offsetMs: 0, skew: 300e-6 };
    const samples = pingSchedule(10).map((t0) => exchange(clock, t0, () => ({ up: 5 + random(), down: 5 + random() })));
    expect(estimateClock(samples)!.skew).toBe(0);
    expect(estimateClock(samples, undefined, 42e-6)!.skew).toBe(42e-6);
  });
});

describe("clock steps", () => {
  it.each([500, -500])("[CE12] a server clock step of %s ms is confirmed by three pings, then followed", (stepMs) => {
    const estimator = new ClockEstimator();
    const times = pingSchedule(40);
    const delays = () => ({ up: 5, down: 5 });
    times.slice(0, 30).forEach((t0) => estimator.add(exchange(EPOCH_CLOCK, t0, delays)));
    const before = estimator.estimate()!;
    const stepped: TrueClock = { offsetMs: EPOCH_CLOCK.offsetMs + stepMs, skew: 0 };
    estimator.add(exchange(stepped, times[30]!, delays));
    estimator.add(exchange(stepped, times[31]!, delays));
    expect(estimator.estimate()).toBe(before);
    estimator.add(exchange(stepped, times[32]!, delays));
    const at = times[32]! + 10;
    expect(serverTimeAt(estimator.estimate()!, at) - trueServerTime(stepped, at)).toBeCloseTo(0, 3);
    expect(estimator.estimate()!.samples).toBe(3);
  });

  it("[CE13] two contradicting pings between good ones are discarded", () => {
    const estimator = new ClockEstimator();
    const times = pingSchedule(40);
    const delays = () => ({ up: 5, down: 5 });
    times.slice(0, 30).forEach((t0) => estimator.add(exchange(EPOCH_CLOCK, t0, delays)));
    const glitch: TrueClock = { offsetMs: EPOCH_CLOCK.offsetMs + 80, skew: 0 };
    estimator.add(exchange(glitch, times[30]!, delays));
    estimator.add(exchange(glitch, times[31]!, delays));
    estimator.add(exchange(EPOCH_CLOCK, times[32]!, delays));
    const at = times[32]!;
    expect(serverTimeAt(estimator.estimate()!, at) - trueServerTime(EPOCH_CLOCK, at)).toBeCloseTo(0, 3);
    expect(estimator.estimate()!.samples).toBe(31);
  });
});

describe("how settled the offset is", () => {
  /** Mean |offset error| and mean floorErrorMs after `n` samples 100 ms apart, over `seeds` links. */
  function afterSamples(n: number, delays: (random: () => number) => DelayModel, seeds = 40) {
    let error = 0;
    let floor = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const estimator = new ClockEstimator();
      const link = delays(seededRandom(seed));
      for (let i = 0; i < n; i++) estimator.add(exchange(EPOCH_CLOCK, 1_000 + 100 * i, link));
      const est = estimator.estimate()!;
      error += Math.abs(serverTimeAt(est, 1_000) - trueServerTime(EPOCH_CLOCK, 1_000));
      floor += est.floorErrorMs;
    }
    return { error: error / seeds, floor: floor / seeds };
  }

  it("[CE18] floorErrorMs tracks the offset's typical error as the floors tighten", () => {
    const jitter = (random: () => number): DelayModel => () => ({ up: 30 + 40 * random(), down: 30 + 40 * random() });
    const early = afterSamples(5, jitter);
    const later = afterSamples(20, jitter);
    for (const { error, floor } of [early, later]) {
      expect(floor).toBeGreaterThan(error / 2);
      expect(floor).toBeLessThan(error * 2);
    }
    expect(early.floor).toBeGreaterThan(2);
    expect(later.floor).toBeLessThan(1.2);
    const lan = afterSamples(5, (random) => () => ({ up: 0.2 + 0.1 * random(), down: 0.2 + 0.1 * random() }));
    expect(lan.floor).toBeLessThan(0.05);
  });
});

describe("naive seed estimate", () => {
  it("[CE10] uses the newest sample alone with RTT/2", () => {
    const samples: ClockSample[] = [
      { t0: 0, t1: 1000, t2: 1000, t3: 10 },
      { t0: 100, t1: 1150, t2: 1152, t3: 140 },
    ];
    const est = estimateClockNaive(samples)!;
    expect(est.offsetMs).toBe(1152 - (100 + 20));
    expect(est.skew).toBe(0);
    expect(est.bestDelayMs).toBe(40);
    const estimator = new ClockEstimator(64, true);
    samples.forEach((s) => estimator.add(s));
    expect(estimator.estimate()).toEqual(est);
    estimator.reset();
    expect(estimator.estimate()).toBeNull();
  });
});
