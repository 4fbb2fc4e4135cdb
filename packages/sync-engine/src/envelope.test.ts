import { describe, expect, it } from "vitest";
import { supportSlope } from "./envelope.js";

describe("supportSlope", () => {
  it("finds the floor line under noisy points above it", () => {
    // Floor y = 2 + 0.5x; every point sits on or above it.
    const lift = [0, 3, 0, 7, 1, 0.5, 4, 0];
    const points = lift.map((l, x) => ({ x, y: 2 + 0.5 * x + l }));
    expect(supportSlope(points, "below")).toBeCloseTo(0.5, 12);
  });

  it("finds the ceiling line over points below it", () => {
    const drop = [0, 2, 5, 0, 1, 0];
    const points = drop.map((d, x) => ({ x, y: -0.25 * x - d }));
    expect(supportSlope(points, "above")).toBeCloseTo(-0.25, 12);
  });

  it("takes the hull edge over the mean x", () => {
    // Lower hull: (0,0) → (5,0) → (10,10); the mean x (≈6.7) lies on the second edge.
    const points = [{ x: 0, y: 0 }, { x: 5, y: 0 }, { x: 10, y: 10 }, { x: 9, y: 50 }, { x: 8, y: 40 }, { x: 7, y: 30 }];
    expect(supportSlope(points, "below")).toBeCloseTo(2, 12);
  });

  it("needs two distinct x values", () => {
    expect(supportSlope([{ x: 1, y: 1 }], "below")).toBeNull();
    expect(supportSlope([{ x: 1, y: 1 }, { x: 1, y: 3 }], "below")).toBeNull();
  });
});
