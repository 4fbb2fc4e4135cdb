import { describe, expect, it } from "vitest";
import { diagnoseChain, stampsFrom } from "./chain-diagnosis.js";
import { seededRandom } from "./delay-proxy.js";
import { evalFit, segmentedFit, type FitSegment, type LinearFit } from "./fit.js";

const line = (interceptMs: number, slope = 1000): LinearFit => ({ x0: 0, intercept: interceptMs, slope, kept: 100, residualP99: 0 });
const RATE = 44_100;

/** Silence, then the source from frame `startFrame`, one record a render quantum. */
function records(startFrame: number, untilFrame: number): number[] {
  const out: number[] = [];
  for (let frame = 0; frame < startFrame; frame += 128) out.push(frame, Number.NaN);
  for (let frame = startFrame; frame < untilFrame; frame += 128) out.push(frame, 0.5);
  return out;
}

describe("diagnoseChain (the measurement chain check's error, split)", () => {
  it("a page late only because its schedule fit runs slow shows the fits apart, growing, and start(when) exact", () => {
    const whenS = 5;
    const schedule = line(100, 999); // 1,000 ppm slow: maps later frames ever earlier
    const analysis: FitSegment[] = [{ fromX: Number.NEGATIVE_INFINITY, fit: line(100) }];
    const d = diagnoseChain(schedule, analysis, records(whenS * RATE, 10 * RATE), RATE, whenS, whenS + 3.6);
    expect(d?.startOffsetFrames).toBe(0);
    expect(d?.fitsApartAtStartMs).toBeCloseTo(5, 6);
    expect(d?.fitsApartAtEndMs).toBeCloseTo(8.6, 6);
    expect(d?.scheduleRatePpm).toBeCloseTo(-1000, 6);
    expect(d?.analysisRatePpm).toBeCloseTo(0, 6);
  });

  it("a source that starts late by some frames shows in start(when), with the fits agreeing", () => {
    const analysis: FitSegment[] = [{ fromX: Number.NEGATIVE_INFINITY, fit: line(20) }];
    const d = diagnoseChain(line(20), analysis, records(2 * RATE + 64, 4 * RATE), RATE, 2, 3);
    expect(d?.startOffsetFrames).toBe(64);
    expect(d?.fitsApartAtStartMs).toBe(0);
  });

  it("reads the analysis segment in force at each instant", () => {
    const analysis: FitSegment[] = [
      { fromX: Number.NEGATIVE_INFINITY, fit: line(0) },
      { fromX: 3, fit: line(7) },
    ];
    const d = diagnoseChain(line(0), analysis, records(2 * RATE, 5 * RATE), RATE, 2, 4);
    expect(d?.fitsApartAtStartMs).toBe(0);
    expect(d?.fitsApartAtEndMs).toBe(7);
  });

  it("is null when the tap heard nothing from when on", () => {
    const analysis: FitSegment[] = [{ fromX: Number.NEGATIVE_INFINITY, fit: line(0) }];
    expect(diagnoseChain(line(0), analysis, records(10 * RATE, 10 * RATE), RATE, 2, 4)).toBeNull();
  });
});

/**
 * Firefox-shaped pairs (SPEC OT2 of the sync engine): `currentTime` moves in 768/896-frame blocks,
 * read every 10 ms, each pair's local time when it was read; for the first `busyS` the page
 * decodes and its reads come up to 8 ms later still. The true line: block edge x heard at 1000·x ms.
 */
function firefoxPairs(untilS: number, busyS: number): number[] {
  const random = seededRandom(3);
  const stamps: number[] = [];
  let edge = 0;
  let block = 0;
  for (let readMs = 0; readMs < untilS * 1000; readMs += 10) {
    while ((edge + (block % 2 ? 896 : 768)) / RATE <= readMs / 1000) edge += block++ % 2 ? 896 : 768;
    const busy = readMs < busyS * 1000 ? random() * 8 : 0;
    const contextTime = edge / RATE;
    if (stamps.at(-2) !== contextTime) stamps.push(contextTime, readMs + random() * 0.5 + busy);
  }
  return stamps;
}

describe("stampsFrom (the chain check fits the pairs read after its decode)", () => {
  it("keeps the pairs from a context time on", () => {
    expect(stampsFrom([0.5, 500, 1, 1000, 1.5, 1500], 1)).toEqual([1, 1000, 1.5, 1500]);
  });

  it("pairs read late while the page decodes tilt a young fit; the pairs after the decode do not", () => {
    const stamps = firefoxPairs(5.5, 1.5);
    const fitOf = (pairs: number[]) => segmentedFit(pairs.filter((_, i) => i % 2 === 0), pairs.filter((_, i) => i % 2 === 1), 1000).at(-1)!.fit;
    const playEndS = 11;
    const tilted = evalFit(fitOf(stamps), playEndS) - playEndS * 1000;
    const clean = evalFit(fitOf(stampsFrom(stamps, 1.5)), playEndS) - playEndS * 1000;
    expect(Math.abs(tilted)).toBeGreaterThan(2);
    expect(Math.abs(clean)).toBeLessThan(1);
  });
});
