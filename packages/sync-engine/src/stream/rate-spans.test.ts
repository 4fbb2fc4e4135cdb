import { describe, expect, it } from "vitest";
import { chunkStart, contextTimeOf, positionAt, type RateSpan } from "./rate-spans.js";

const R = 44_100;

describe("rate spans and chunk timing", () => {
  it("[M3] consecutive chunks at rate 1 start exactly where the previous ends (no gap, no overlap)", () => {
    const spans: RateSpan[] = [{ fromContextS: 10.0123, positionMs: 60_000, rate: 1 }];
    const chunk = 5 * R;
    for (let k = 0; k < 20; k++) {
      const first = 60 * R + k * chunk;
      const a = chunkStart(spans, first, first + chunk, R, 0)!;
      const b = chunkStart(spans, first + chunk, first + 2 * chunk, R, 0)!;
      expect(a.offsetS).toBe(0);
      // The end of chunk k (its start plus its length) is chunk k+1's start, to well under a sample.
      expect(Math.abs(a.when + chunk / R - b.when) * R).toBeLessThan(1e-6);
    }
  });

  it("[M3] across a rate nudge, a chunk's due time follows the rate history, and positions invert", () => {
    const spans: RateSpan[] = [
      { fromContextS: 0, positionMs: 0, rate: 1 },
      { fromContextS: 2, positionMs: 2000, rate: 1.005 },
    ];
    expect(positionAt(spans, 4)).toBeCloseTo(4010, 9);
    expect(contextTimeOf(spans, 4010)).toBeCloseTo(4, 9);
    const start = chunkStart(spans, 5 * R, 10 * R, R, 0)!;
    expect(start.when).toBeCloseTo(2 + 3 / 1.005, 9);
  });

  it("[M3] a late chunk (late join, stall) starts at `earliest` with the offset that belongs there", () => {
    const spans: RateSpan[] = [{ fromContextS: 1, positionMs: 30_000, rate: 1 }];
    const start = chunkStart(spans, 30 * R, 35 * R, R, 1.4)!;
    expect(start.when).toBe(1.4);
    expect(start.offsetS).toBeCloseTo(0.4, 9);
    expect(chunkStart(spans, 30 * R, 35 * R, R, 7)).toBeNull();
  });

  it("[M3] a chunk holding the session's start position starts at the session start, mid-chunk", () => {
    const spans: RateSpan[] = [{ fromContextS: 3, positionMs: 31_000, rate: 1 }];
    const start = chunkStart(spans, 30 * R, 35 * R, R, 0)!;
    expect(start.when).toBe(3);
    expect(start.offsetS).toBeCloseTo(1, 9);
  });
});
