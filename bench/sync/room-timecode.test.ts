import { describe, expect, it } from "vitest";
import { decodeTimecodeMs } from "./timecode.js";
import { TIMECODE_LAP_MS, unwrapTrack } from "./room-timecode.js";
import type { RenderedTrack } from "./analysis.js";

const track = (atMs: number[], positionMs: number[]): RenderedTrack => ({
  atMs: Float64Array.from(atMs),
  positionMs: Float64Array.from(positionMs),
  segments: [],
  stampCount: 0,
  residualP99Ms: 0,
});

describe("wrapping timecode", () => {
  it("a lap is 2^22 frames at 44.1 kHz, the demo encoding's exact range", () => {
    expect(TIMECODE_LAP_MS).toBeCloseTo(95_108.934, 2);
    expect(decodeTimecodeMs(0.5 - 2 ** -22)).toBeCloseTo(TIMECODE_LAP_MS - 1000 / 44_100, 6);
  });

  it("unwraps each position to the lap nearest the timeline, silence and pre-start left alone", () => {
    // Timeline: 0 at t=1000, then a seek to 200 s at t=5000.
    const events = [
      { atMs: 1000, positionMs: 0 },
      { atMs: 5000, positionMs: 200_000 },
    ];
    const decoded = [500, 1000, NaN, 200_000 - 2 * TIMECODE_LAP_MS + 3, 200_010 - 2 * TIMECODE_LAP_MS];
    const unwrapped = unwrapTrack(track([10, 2000, 3000, 5003, 5010], decoded), events);
    expect(unwrapped.positionMs[0]).toBe(500);
    expect(unwrapped.positionMs[1]).toBe(1000);
    expect(Number.isNaN(unwrapped.positionMs[2]!)).toBe(true);
    expect(unwrapped.positionMs[3]).toBeCloseTo(200_003, 6);
    expect(unwrapped.positionMs[4]).toBeCloseTo(200_010, 6);
  });

  it("a page 40 s off is still read on its own lap", () => {
    const unwrapped = unwrapTrack(track([100_000], [100_000 - 40_000 - TIMECODE_LAP_MS]), [{ atMs: 0, positionMs: 0 }]);
    expect(unwrapped.positionMs[0]).toBeCloseTo(60_000, 6);
  });
});
