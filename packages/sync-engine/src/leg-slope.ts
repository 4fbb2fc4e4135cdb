/**
 * The two legs' queueing, and the rate they support together (CE19), for the clock filter
 * (`clock-estimator.ts`). A sample's legs: up = t1 − t0 (offset plus the up delay), down =
 * t2 − t3 (offset minus the down delay).
 */
import type { ClockSample } from "./clock-estimator.js";

/** Each leg's samples' distances from that leg's floor (ms), `slope` removed: the queueing it carries. */
function legExcesses(samples: readonly ClockSample[], slope: number): { up: number[]; down: number[] } {
  const up = samples.map((s) => s.t1 - s.t0 - slope * s.t0);
  const down = samples.map((s) => s.t2 - s.t3 - slope * s.t3);
  const upFloor = Math.min(...up);
  const downCeiling = Math.max(...down);
  return { up: up.map((v) => v - upFloor), down: down.map((v) => downCeiling - v) };
}

const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * The median distance of the samples' one-way legs from their leg's floor (ms), `slope` removed:
 * how much queueing each leg carries, which sets how fast the floors tighten.
 */
export function medianLegExcess(samples: readonly ClockSample[], slope: number): number {
  const { up, down } = legExcesses(samples, slope);
  return median([...up, ...down]);
}

/** A leg's excess below this (ms) is a quiet link's: the legs weigh alike there. */
const QUIET_EXCESS_MS = 0.05;

/**
 * The rate from the two legs' support slopes, each weighted by the inverse square of its median
 * queueing (CE19): a floor's slope is about as uncertain as the leg's excess over it, so equal
 * legs weigh alike (CE6's mean), and a leg whose delays spread far more — a listener's pongs
 * handled by a busy main thread, late by 15–35 ms and later as playback loads it — counts less
 * than the steady one. Unweighted, half of such a leg's floor drift became a rate of up to
 * 500 ppm after 40 s (issue 17's room runs).
 */
export function weightedLegSlope(samples: readonly ClockSample[], up: number, down: number): number {
  const excess = legExcesses(samples, (up + down) / 2);
  const upWeight = 1 / Math.max(QUIET_EXCESS_MS, median(excess.up)) ** 2;
  const downWeight = 1 / Math.max(QUIET_EXCESS_MS, median(excess.down)) ** 2;
  return (upWeight * up + downWeight * down) / (upWeight + downWeight);
}
