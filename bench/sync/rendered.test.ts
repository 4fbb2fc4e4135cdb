import { describe, expect, it } from "vitest";
import type { RenderedTrack } from "./analysis.js";
import { maxRenderedRateDeviation, renderedGlitches, renderedJumps } from "./rendered.js";

/** A track rendered every 2.9 ms from `fromMs` for `ms`, position = f(t). */
function track(fromMs: number, ms: number, position: (t: number) => number): RenderedTrack {
  const times: number[] = [];
  for (let t = fromMs; t < fromMs + ms; t += 2.9) times.push(t);
  return { atMs: Float64Array.from(times), positionMs: Float64Array.from(times.map(position)), segments: [], stampCount: 0, residualP99Ms: 0 };
}

describe("rendered glitches and rate", () => {
  it("counts jumps over 1 ms, ignores rate nudges, and excuses one jump per timeline event", () => {
    const nudged = track(0, 10_000, (t) => t * 1.005);
    expect(renderedGlitches(nudged, [])).toEqual([]);
    const reseeks = track(0, 10_000, (t) => t + (t > 3_000 ? 40 : 0) + (t > 6_000 ? -2 : 0) + (t > 8_000 ? 0.5 : 0));
    expect(renderedGlitches(reseeks, []).map(Math.round)).toHaveLength(2);
    // A seek at 6 s is the room's own: excused; the re-seek at 3 s is not.
    expect(renderedGlitches(reseeks, [{ atMs: 6_000, positionMs: 0 }])).toHaveLength(1);
  });

  it("silence is not a glitch; the rate is measured over continuous sound only", () => {
    const gapped = track(0, 6_000, (t) => (t > 2_000 && t < 2_500 ? Number.NaN : t));
    expect(renderedGlitches(gapped, [])).toEqual([]);
    expect(maxRenderedRateDeviation(gapped, 0)).toBeCloseTo(0, 9);
    const fast = track(0, 6_000, (t) => (t < 3_000 ? t : 3_000 + (t - 3_000) * 1.04));
    expect(maxRenderedRateDeviation(fast, 0)!).toBeGreaterThan(0.03);
    expect(maxRenderedRateDeviation(track(0, 6_000, (t) => t * 0.996), 0)!).toBeCloseTo(0.004, 4);
    expect(maxRenderedRateDeviation(track(0, 500, (t) => t), 0)).toBeNull();
  });

  it("tells a jump in the sample stream from a step in speaker time (the device, not the page)", () => {
    const reseek = track(0, 2_000, (t) => t + (t > 1_000 ? 3 : 0));
    const withContext = { ...reseek, contextMs: Float64Array.from(reseek.atMs) };
    const [jump] = renderedJumps(withContext, []);
    expect(jump!.jumpMs).toBeCloseTo(3, 6);
    expect(jump!.streamJumpMs).toBeCloseTo(3, 6);
    // The device stepped 2 ms in speaker time at 1 s; the samples ran on.
    const stepped = { ...track(0, 2_000, (t) => t), contextMs: Float64Array.from(reseek.atMs) };
    const atMs = Float64Array.from(stepped.atMs, (t) => (t > 1_000 ? t + 2 : t));
    const positionMs = Float64Array.from(stepped.positionMs);
    const [step] = renderedJumps({ ...stepped, atMs, positionMs }, []);
    expect(step!.jumpMs).toBeCloseTo(-2, 6);
    expect(step!.streamJumpMs).toBeCloseTo(0, 6);
    expect(renderedJumps(track(0, 2_000, (t) => t), [])).toEqual([]);
  });
});
