import { describe, expect, it } from "vitest";
import { micSignal, percentile, roomImpulse, seededRandom } from "../test/synthetic-room.js";
import { DEFAULT_SWEEP, DEFAULT_THRESHOLD_DB, detectArrival, type SignalCode, signalSamples, sweepSamples } from "./index.js";

const SEARCH_S = 0.6;

/** One trial: a sweep delayed `delayS` in a room, found in a window covering 0–600 ms. */
function trial(options: { sampleRate: number; delayS: number; snrDb?: number; rt60S?: number; clipAt?: number; seed: number; gain?: number; code?: SignalCode }) {
  const random = seededRandom(options.seed);
  const room = options.rt60S === undefined ? undefined : roomImpulse(options.sampleRate, options.rt60S, 0.7, random);
  const samples = micSignal({
    sweep: DEFAULT_SWEEP,
    sampleRate: options.sampleRate,
    lengthS: SEARCH_S + DEFAULT_SWEEP.durationMs / 1000 + 0.9,
    arrivals: [{ delayS: options.delayS, gain: options.gain ?? 0.5, code: options.code ?? 0 }],
    room,
    snrDb: options.snrDb,
    clipAt: options.clipAt,
    random,
  });
  const template = signalSamples(DEFAULT_SWEEP, options.code ?? 0, options.sampleRate);
  return detectArrival(samples, template, { sampleRate: options.sampleRate, fromSample: 0, toSample: SEARCH_S * options.sampleRate });
}

describe("detectArrival", () => {
  it("[CAL2] finds a clean sweep at an integer and a fractional delay to a small fraction of a sample", () => {
    for (const sampleRate of [44_100, 48_000]) {
      for (const delayS of [0, 0.123_456_7, 0.5]) {
        const found = trial({ sampleRate, delayS, seed: 1 });
        expect(found.heard).toBe(true);
        if (found.heard) expect(Math.abs(found.arrivalSample / sampleRate - delayS) * 1000).toBeLessThan(0.005);
      }
    }
  });

  it("[CAL3] arrival error p95 ≤ 0.1 ms over delays 0–500 ms, SNR 10–20 dB, rooms RT60 0.3–0.8 s, clipping, 44.1 and 48 kHz, both codes", () => {
    const random = seededRandom(20261201);
    const errorsMs: number[] = [];
    for (let i = 0; i < 48; i++) {
      const sampleRate = i % 2 === 0 ? 44_100 : 48_000;
      const delayS = random() * 0.5;
      const snrDb = 10 + random() * 10;
      const rt60S = 0.3 + random() * 0.5;
      // Every fourth trial overdrives the preamp: the sum clips at a third of its peak.
      const clipAt = i % 4 === 3 ? 0.15 : undefined;
      // Both codes (CAL17): the falling sweep is the rising one time-reversed, as sharp a peak.
      const code: SignalCode = (i >> 1) % 2 === 0 ? 0 : 1;
      const found = trial({ sampleRate, delayS, snrDb, rt60S, clipAt, seed: 1000 + i, code });
      expect(found.heard, `trial ${i}`).toBe(true);
      if (found.heard) errorsMs.push(Math.abs(found.arrivalSample / sampleRate - delayS) * 1000);
    }
    expect(percentile(errorsMs, 0.95)).toBeLessThanOrEqual(0.1);
    // CPU-bound (48 rooms convolved and searched): generous for a shared machine, not a speed target.
  }, 120_000);

  it("[CAL3] at 0 dB SNR in a reverberant room the sweep is still heard and placed within 0.1 ms", () => {
    const found = trial({ sampleRate: 48_000, delayS: 0.2718, snrDb: 0, rt60S: 0.8, seed: 7 });
    expect(found.heard).toBe(true);
    if (found.heard) expect(Math.abs(found.arrivalSample / 48_000 - 0.2718) * 1000).toBeLessThan(0.1);
  });

  it("[CAL4] refuses, with its confidence, when the sweep is buried far below the noise", () => {
    const found = trial({ sampleRate: 48_000, delayS: 0.3, snrDb: -45, rt60S: 0.5, seed: 11 });
    expect(found.heard).toBe(false);
    if (!found.heard) {
      expect(found.reason).toBe("below-threshold");
      expect(found.confidenceDb).toBeLessThan(DEFAULT_THRESHOLD_DB);
    }
  });

  it("[CAL4] refuses on noise alone and on silence (a muted device), never a value", () => {
    for (let seed = 0; seed < 5; seed++) {
      const noiseOnly = trial({ sampleRate: 44_100, delayS: 0.3, snrDb: 10, gain: 0, seed });
      expect(noiseOnly.heard).toBe(false);
    }
    expect(trial({ sampleRate: 44_100, delayS: 0.3, gain: 0, seed: 1 })).toMatchObject({ heard: false, reason: "below-threshold" });
  });

  it("[CAL4] a confidence grows with the signal: 20 dB SNR scores above 0 dB SNR", () => {
    const loud = trial({ sampleRate: 48_000, delayS: 0.1, snrDb: 20, seed: 3 });
    const quiet = trial({ sampleRate: 48_000, delayS: 0.1, snrDb: -10, seed: 3 });
    expect(loud.confidenceDb).toBeGreaterThan(quiet.confidenceDb + 10);
  });

  it("[CAL2] a window outside the recording is refused as outside-recording", () => {
    const samples = new Float32Array(1000);
    const found = detectArrival(samples, sweepSamples(DEFAULT_SWEEP, 48_000), { sampleRate: 48_000, fromSample: 0, toSample: 100 });
    expect(found).toMatchObject({ heard: false, reason: "outside-recording" });
  });

  it("[CAL2] the direct path wins over a stronger reflection 8 ms behind it", () => {
    const random = seededRandom(5);
    const samples = micSignal({
      sweep: DEFAULT_SWEEP,
      sampleRate: 48_000,
      lengthS: 1,
      arrivals: [{ delayS: 0.2, gain: 0.3 }, { delayS: 0.208, gain: 0.4 }],
      snrDb: 20,
      random,
    });
    const found = detectArrival(samples, sweepSamples(DEFAULT_SWEEP, 48_000), { sampleRate: 48_000, fromSample: 0, toSample: 0.5 * 48_000 });
    expect(found.heard).toBe(true);
    if (found.heard) expect(Math.abs(found.arrivalSample / 48_000 - 0.2) * 1000).toBeLessThan(0.1);
  });
});
