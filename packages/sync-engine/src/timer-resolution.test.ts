import { describe, expect, it } from "vitest";
import { coarsen } from "../test/timer-quantum.js";
import { measureTimerStep } from "./timer-resolution.js";

/** A clock whose true time advances `perReadingMs` per reading, coarsened to `quantumMs`. */
function coarseClock(quantumMs: number, perReadingMs: number, how: "floor" | "jittered"): () => number {
  let t = 1234.5678;
  return () => coarsen((t += perReadingMs), quantumMs, how);
}

describe("measureTimerStep", () => {
  it("[TR1] finds the step of a coarsened clock (1 ms, 0.1 ms, 0.02 ms, 0.005 ms), jittered or floored", () => {
    for (const quantum of [1, 0.1, 0.02, 0.005]) {
      for (const how of ["floor", "jittered"] as const) {
        expect(measureTimerStep(coarseClock(quantum, 0.0007, how))).toBeCloseTo(quantum, 6);
      }
    }
  });

  it("[TR2] a fine clock reads in its own increments", () => {
    expect(measureTimerStep(coarseClock(0, 0.0003, "floor"))).toBeCloseTo(0.0003, 9);
  });

  it("[TR3] a clock that never moves counts as continuous (0) instead of spinning forever", () => {
    expect(measureTimerStep(() => 42)).toBe(0);
  });
});
