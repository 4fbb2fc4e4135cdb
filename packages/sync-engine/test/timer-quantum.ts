import type { ClockSample } from "../src/clock-estimator.js";

/**
 * How a browser coarsens `performance.now()` to a step of `quantumMs`:
 * - `floor`: down to the step (a plain clamp);
 * - `jittered`: what Firefox and Chromium do against timing attacks. Each step has its own
 *   pseudo-random threshold; an instant past it reads as the step's end, before it as its start,
 *   so a reading may be up to one step early or late.
 */
export type Coarsening = "floor" | "jittered";

/** A threshold in [0, 1) per step index, fixed for the run (a hash, as the browsers use). */
function threshold(step: number): number {
  let h = Math.imul(step ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

export function coarsen(ms: number, quantumMs: number, how: Coarsening): number {
  if (quantumMs <= 0) return ms;
  const step = Math.floor(ms / quantumMs);
  const start = step * quantumMs;
  if (how === "floor") return start;
  return ms - start >= threshold(step) * quantumMs ? (step + 1) * quantumMs : start;
}

/** The sample as the page sees it: its local instants (`t0`, `t3`) coarsened; server ones fine. */
export function coarsenSample(s: ClockSample, quantumMs: number, how: Coarsening): ClockSample {
  return { ...s, t0: coarsen(s.t0, quantumMs, how), t3: coarsen(s.t3, quantumMs, how) };
}
