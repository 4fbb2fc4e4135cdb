import { describe, expect, it } from "vitest";
import { diagnoseChain } from "./chain-diagnosis.js";
import type { FitSegment, LinearFit } from "./fit.js";

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
