import { describe, expect, it } from "vitest";
import { seededRandom } from "../test/random.js";
import {
  AudioClockMap,
  audioSkewPpm,
  contextAtLocal,
  fitAudioClock,
  localAtContext,
  singlePairFit,
} from "./audio-clock-map.js";
import type { AudioTimestamp } from "./types.js";

/** A device whose audio clock runs `ppm` fast; the speaker plays context time c at local `trueLocal(c)`. */
function device(ppm: number, seed: number, jitterMs = 2.5) {
  const random = seededRandom(seed);
  const originLocal = 12_345.678;
  const trueLocal = (c: number) => originLocal + (c * 1000) / (1 + ppm * 1e-6);
  // One pair per 100 ms of context time; each pair's local time carries render-cadence jitter.
  const pairs = (from: number, count: number): AudioTimestamp[] =>
    Array.from({ length: count }, (_, i) => {
      const contextTime = from + i * 0.1;
      return { contextTime, localTimeMs: trueLocal(contextTime) + (2 * random() - 1) * jitterMs };
    });
  return { trueLocal, pairs };
}

describe("audio clock map", () => {
  it("[AM1] a fit over many quantised pairs beats any single pair and measures the rate", () => {
    const { trueLocal, pairs } = device(1_400, 1);
    const window = pairs(1, 100);
    const fit = fitAudioClock(window)!;
    const probe = 11.2; // just past the window: where the engine schedules
    expect(Math.abs(localAtContext(fit, probe) - trueLocal(probe))).toBeLessThan(0.5);
    expect(Math.abs(audioSkewPpm(fit) - 1_400)).toBeLessThan(150);
    const single = singlePairFit(window[window.length - 1]!);
    const singleErrors = window.map((p) => Math.abs(localAtContext(singlePairFit(p), probe) - trueLocal(probe)));
    expect(Math.max(...singleErrors)).toBeGreaterThan(2);
    expect(localAtContext(single, window[window.length - 1]!.contextTime)).toBe(window[window.length - 1]!.localTimeMs);
  });

  it("[AM2] a long window pins the rate to tens of ppm", () => {
    const { trueLocal, pairs } = device(-100, 2);
    const map = new AudioClockMap();
    pairs(1, 300).forEach((p) => map.add(p));
    const fit = map.fit()!;
    expect(Math.abs(audioSkewPpm(fit) + 100)).toBeLessThan(30);
    expect(Math.abs(contextAtLocal(fit, trueLocal(31)) - 31) * 1000).toBeLessThan(0.3);
  });

  it("[AM3] before a second of pairs it assumes equal rates", () => {
    const { pairs } = device(1_400, 3);
    const fit = fitAudioClock(pairs(1, 5))!;
    expect(fit.msPerSecond).toBe(1000);
    expect(fitAudioClock([])).toBeNull();
  });

  it("[AM4] drops outlier pairs (a late callback) before refitting", () => {
    const { trueLocal, pairs } = device(0, 4, 0.5);
    const window = pairs(1, 50);
    const spoiled = window.map((p, i) => (i % 10 === 5 ? { ...p, localTimeMs: p.localTimeMs + 40 } : p));
    const fit = fitAudioClock(spoiled)!;
    expect(fit.samples).toBe(45);
    expect(Math.abs(localAtContext(fit, 6) - trueLocal(6))).toBeLessThan(0.3);
  });

  it("[AM5] a 10 ms audio clock jump (a render glitch) confirmed by three pairs restarts the window", () => {
    const { pairs } = device(0, 5, 0.05);
    const map = new AudioClockMap();
    pairs(1, 20).forEach((p) => map.add(p));
    const glitched = pairs(3, 3).map((p) => ({ ...p, localTimeMs: p.localTimeMs + 10 }));
    expect(map.add(glitched[0]!)!.samples).toBe(20);
    expect(map.add(glitched[1]!)!.samples).toBe(20);
    const after = map.add(glitched[2]!)!;
    expect(after.samples).toBe(3);
    expect(map.jumps).toBe(1);
    expect(localAtContext(after, 3.2) - glitched[2]!.localTimeMs).toBeCloseTo(0, 1);
  });

  it("[AM6] a lone off-fit pair is dropped; time going backwards or invalid pairs restart or are ignored", () => {
    const { pairs } = device(0, 6, 0.05);
    const map = new AudioClockMap();
    const good = pairs(1, 30);
    good.slice(0, 20).forEach((p) => map.add(p));
    map.add({ ...good[20]!, localTimeMs: good[20]!.localTimeMs + 40 });
    expect(map.add(good[21]!)!.samples).toBe(21);
    expect(map.add({ contextTime: 2.5, localTimeMs: 50_001 })!.samples).toBe(1);
    expect(map.add({ contextTime: 2.5, localTimeMs: 50_002 })!.samples).toBe(1);
    expect(map.add({ contextTime: Number.NaN, localTimeMs: 1 })!.samples).toBe(1);
    expect(map.add({ contextTime: 0, localTimeMs: 1 })!.samples).toBe(1);
    map.reset();
    expect(map.fit()).toBeNull();
  });
});
