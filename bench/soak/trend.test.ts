import { describe, expect, it } from "vitest";
import { growthAfter, linearFit, lowWaterMarks, quantile } from "./trend.js";

/** A deterministic pseudo-random sequence in [-1, 1) (a fixed LCG: the test needs no Math.random). */
function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return (state / 2 ** 31) * 2 - 1;
  };
}

describe("linearFit", () => {
  it("recovers an exact line with zero error", () => {
    const fit = linearFit([0, 1, 2, 3].map((x) => ({ x, y: 5 + 2 * x })))!;
    expect(fit.slope).toBeCloseTo(2);
    expect(fit.intercept).toBeCloseTo(5);
    expect(fit.slopeStdError).toBeCloseTo(0);
  });

  it("has no answer for too few points or no spread", () => {
    expect(linearFit([{ x: 0, y: 1 }, { x: 1, y: 2 }])).toBeNull();
    expect(linearFit([1, 2, 3].map((y) => ({ x: 4, y })))).toBeNull();
  });
});

describe("growthAfter", () => {
  const minute = 60_000;

  it("finds a leak of 1 MB/min under ±5 MB of noise", () => {
    const jitter = noise(7);
    const points = Array.from({ length: 120 }, (_, i) => ({ x: i * 5_000, y: 100 + (i * 5_000 * 1) / minute + 5 * jitter() }));
    const growth = growthAfter(points, 0)!;
    expect(growth.perMinute).toBeGreaterThan(0.7);
    expect(growth.perMinute).toBeLessThan(1.3);
    expect(growth.trend).toBe("rising");
  });

  it("does not call flat noise a leak", () => {
    const jitter = noise(11);
    const points = Array.from({ length: 120 }, (_, i) => ({ x: i * 5_000, y: 100 + 5 * jitter() }));
    const growth = growthAfter(points, 0)!;
    expect(Math.abs(growth.perMinute)).toBeLessThan(0.5);
    expect(growth.trend).toBe("flat");
  });

  it("leaves the warm-up out: a steep start then flat is no growth", () => {
    const points = Array.from({ length: 60 }, (_, i) => ({ x: i * 10_000, y: i < 12 ? i * 10 : 120 }));
    expect(growthAfter(points, 0)!.perMinute).toBeGreaterThan(1);
    expect(growthAfter(points, 12 * 10_000)!.perMinute).toBeCloseTo(0);
  });

  it("calls a steady fall falling", () => {
    const points = Array.from({ length: 20 }, (_, i) => ({ x: i * 10_000, y: 200 - i + (i % 2) * 0.1 }));
    expect(growthAfter(points, 0)!.trend).toBe("falling");
  });

  it("returns the fitted line's ends over the kept window", () => {
    const points = [0, 1, 2, 3, 4].map((i) => ({ x: i * minute, y: 10 + i }));
    expect(growthAfter(points, 2 * minute)!.line).toEqual([
      { x: 2 * minute, y: expect.closeTo(12) },
      { x: 4 * minute, y: expect.closeTo(14) },
    ]);
  });
});

describe("lowWaterMarks", () => {
  it("keeps each window's lowest finite point", () => {
    const points = [
      { x: 0, y: 30 },
      { x: 20, y: 10 },
      { x: 40, y: Number.NaN },
      { x: 60, y: 50 },
      { x: 90, y: 45 },
      { x: 130, y: 70 },
    ];
    expect(lowWaterMarks(points, 60)).toEqual([{ x: 20, y: 10 }, { x: 90, y: 45 }, { x: 130, y: 70 }]);
  });

  it("sees a leak under a sawtooth far larger than it", () => {
    // 20 MB of garbage collected every 30 s over 0.5 MB/min of growth.
    const points = Array.from({ length: 240 }, (_, i) => ({ x: i * 5_000, y: 20 + (i * 5_000 * 0.5) / 60_000 + ((i % 6) / 5) * 20 }));
    const growth = growthAfter(lowWaterMarks(points, 60_000), 0)!;
    expect(growth.perMinute).toBeCloseTo(0.5, 1);
    expect(growth.trend).toBe("rising");
  });
});

describe("quantile", () => {
  it("takes the nearest rank and skips non-finite values", () => {
    expect(quantile([5, 1, 3, Number.NaN, 2, 4], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4], 0.99)).toBe(4);
    expect(quantile([1, 2, 3, 4], 0)).toBe(1);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
