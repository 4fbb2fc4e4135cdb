import { describe, expect, it } from "vitest";
import { fitLine, lineAt } from "./linear-fit.js";

describe("fitLine", () => {
  it("recovers an exact line at epoch-sized values", () => {
    const base = 1.7e12;
    const points = [0, 1000, 2000, 5000].map((dx) => ({ x: base + dx, y: 42.5 + 1e-4 * dx, w: 1 }));
    const fit = fitLine(points);
    expect(fit).not.toBeNull();
    expect(fit!.slope).toBeCloseTo(1e-4, 12);
    expect(lineAt(fit!, base + 10_000)).toBeCloseTo(43.5, 9);
    expect(fit!.rms).toBeLessThan(1e-9);
    expect(fit!.span).toBe(5000);
  });

  it("weights pull the intercept towards heavy points", () => {
    const fit = fitLine([{ x: 0, y: 0, w: 3 }, { x: 0, y: 4, w: 1 }]);
    expect(fit!.y0).toBeCloseTo(1, 12);
    expect(fit!.slope).toBe(0);
  });

  it("honours a fixed slope and rejects empty or weightless sets", () => {
    const fit = fitLine([{ x: 0, y: 1, w: 1 }, { x: 10, y: 1, w: 1 }], 0.5);
    expect(fit!.slope).toBe(0.5);
    expect(fit!.y0).toBeCloseTo(1, 12);
    expect(lineAt(fit!, 0)).toBeCloseTo(-1.5, 12);
    expect(fitLine([])).toBeNull();
    expect(fitLine([{ x: 0, y: 0, w: 0 }])).toBeNull();
  });
});
