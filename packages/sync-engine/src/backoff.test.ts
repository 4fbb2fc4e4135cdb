import { describe, expect, it } from "vitest";
import { backoffDelayMs } from "./backoff.js";

describe("backoffDelayMs", () => {
  it("[BO1] doubles the ceiling from 250 ms up to the 10 s cap, with full jitter", () => {
    const top = () => 0.999999;
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 7, 100].map((a) => Math.round(backoffDelayMs(a, top)));
    expect(ceilings).toEqual([250, 500, 1000, 2000, 4000, 8000, 10000, 10000, 10000]);
    expect(backoffDelayMs(5, () => 0)).toBe(0);
    expect(backoffDelayMs(2, () => 0.5)).toBe(500);
  });
});
