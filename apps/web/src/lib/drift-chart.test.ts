import { describe, expect, it } from "vitest";
import { driftChartGeometry, niceScale } from "./drift-chart.js";

describe("niceScale", () => {
  it("rounds up to a readable half-range", () => {
    expect(niceScale(0)).toBe(2);
    expect(niceScale(3)).toBe(5);
    expect(niceScale(10)).toBe(10);
    expect(niceScale(480)).toBe(500);
    expect(niceScale(1e9)).toBe(5000);
  });
});

describe("driftChartGeometry", () => {
  const box = { windowMs: 60_000, width: 600, height: 100 };

  it("draws nothing without samples", () => {
    expect(driftChartGeometry([], 100_000, box)).toEqual({ path: "", scaleMs: 2 });
  });

  it("maps time to x and drift to y around the middle, ahead upwards", () => {
    const geometry = driftChartGeometry(
      [
        { atMs: 40_000, driftMs: 0 },
        { atMs: 70_000, driftMs: 5 },
        { atMs: 100_000, driftMs: -5 },
      ],
      100_000,
      box,
    );
    expect(geometry.scaleMs).toBe(5);
    expect(geometry.path).toBe("M0.0,50.0 L300.0,0.0 L600.0,100.0");
  });

  it("drops samples older than the window", () => {
    const geometry = driftChartGeometry(
      [
        { atMs: 1_000, driftMs: 400 },
        { atMs: 90_000, driftMs: 1 },
      ],
      100_000,
      box,
    );
    expect(geometry.scaleMs).toBe(2);
    expect(geometry.path).toBe("M500.0,25.0");
  });
});
