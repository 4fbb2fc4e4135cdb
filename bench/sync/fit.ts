/**
 * Pure numerics shared by the page (direct scheduling check) and the analysis: a robust
 * least-squares line and quantiles. No DOM, no Node.
 */
import { lowerEdgeOffset, quantile } from "@sync-beats/sync-engine";

/** The benchmark's quantile is the engine's (one definition for both sides of a comparison). */
export { quantile };

/** `y = intercept + slope * (x - x0)`; x0 is the mean of the kept x, for numerical stability. */
export interface LinearFit {
  readonly x0: number;
  readonly intercept: number;
  readonly slope: number;
  /** Points kept after outlier trimming, and the 99th percentile of their absolute residuals. */
  readonly kept: number;
  readonly residualP99: number;
}

function leastSquares(xs: readonly number[], ys: readonly number[], keep: readonly boolean[]): LinearFit | null {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < xs.length; i += 1) {
    if (!keep[i]) continue;
    n += 1;
    sx += xs[i]!;
    sy += ys[i]!;
  }
  if (n < 2) return null;
  const x0 = sx / n;
  const y0 = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < xs.length; i += 1) {
    if (!keep[i]) continue;
    const dx = xs[i]! - x0;
    sxx += dx * dx;
    sxy += dx * (ys[i]! - y0);
  }
  if (sxx === 0) return null;
  return { x0, intercept: y0, slope: sxy / sxx, kept: n, residualP99: 0 };
}

/** Evaluates a fit at `x`. */
export function evalFit(fit: LinearFit, x: number): number {
  return fit.intercept + fit.slope * (x - fit.x0);
}

/** The x at which the fit reaches `y`. */
export function invertFit(fit: LinearFit, y: number): number {
  return fit.x0 + (y - fit.intercept) / fit.slope;
}

/**
 * Least squares, then up to `rounds` times: drop points whose residual exceeds 4 median absolute
 * residuals (callback hiccups show up as a few late `performanceTime`s) and refit.
 */
export function robustFit(xs: readonly number[], ys: readonly number[], rounds = 3): LinearFit | null {
  const keep = xs.map(() => true);
  let fit = leastSquares(xs, ys, keep);
  for (let round = 0; round < rounds && fit; round += 1) {
    const current = fit;
    const residuals = xs.map((x, i) => Math.abs(ys[i]! - evalFit(current, x)));
    const mad = quantile(residuals.filter((_, i) => keep[i]), 0.5);
    const limit = Math.max(4 * mad, 1e-6);
    let dropped = 0;
    residuals.forEach((r, i) => {
      if (keep[i] && r > limit) {
        keep[i] = false;
        dropped += 1;
      }
    });
    if (dropped === 0) break;
    fit = leastSquares(xs, ys, keep) ?? fit;
  }
  if (!fit) return null;
  const final = fit;
  const kept = xs.map((x, i) => Math.abs(ys[i]! - evalFit(final, x))).filter((_, i) => keep[i]);
  return { ...final, residualP99: quantile(kept, 0.99) };
}

/** A fit valid from context time `fromX` (inclusive) up to the next segment's `fromX`. */
export interface FitSegment {
  readonly fromX: number;
  readonly fit: LinearFit;
}

/** A step in `y - slope * x` bigger than this (ms), or than {@link SCATTER_STEPS} times the pairs' scatter, starts a new segment. */
const STEP_MS = 1;
const SCATTER_STEPS = 3;
const LOOKBACK = 15;
const CONFIRM = 7;

/**
 * How far pairs stray from the median of the {@link LOOKBACK} before them (90th percentile, ms).
 * Chromium's device timestamps: ~0.1 ms. Firefox makes its pairs up at the call from a
 * `currentTime` that moves in ~19 ms blocks (SPEC OT2): they scatter by ±9 ms, and a 1 ms step
 * rule would cut a new segment every few pairs.
 */
function scatterMs(detrended: readonly number[]): number {
  const deviations: number[] = [];
  for (let i = LOOKBACK; i < detrended.length; i += 1) {
    deviations.push(Math.abs(detrended[i]! - quantile(detrended.slice(i - LOOKBACK, i), 0.5)));
  }
  return deviations.length ? quantile(deviations, 0.9) : 0;
}

/**
 * Speaker-time fits per stretch between audio glitches. Under load the audio device stalls now and
 * then, and from then on every `(contextTime, performanceTime)` pair is shifted by the stall: one
 * line through all of them is off by milliseconds on both sides. A step is a point that differs by
 * more than {@link STEP_MS} from the median of the previous {@link LOOKBACK} points, confirmed by
 * most of the next {@link CONFIRM} (so a single late pair is an outlier, not a step). `nominalSlope`
 * (y per x, 1000 for seconds to ms) removes the trend before comparing.
 */
export function segmentedFit(xs: readonly number[], ys: readonly number[], nominalSlope: number, minPoints = 20): FitSegment[] {
  const detrended = xs.map((x, i) => ys[i]! - nominalSlope * x);
  const scatter = scatterMs(detrended);
  const stepMs = Math.max(STEP_MS, SCATTER_STEPS * scatter);
  const starts = [0];
  let i = LOOKBACK;
  while (i < xs.length - CONFIRM) {
    const start = starts.at(-1)!;
    const from = Math.max(start, i - LOOKBACK);
    if (i - start < LOOKBACK) {
      i += 1;
      continue;
    }
    const reference = quantile(detrended.slice(from, i), 0.5);
    const step = detrended[i]! - reference;
    if (Math.abs(step) > stepMs) {
      const ahead = detrended.slice(i, i + CONFIRM).filter((d) => Math.abs(d - reference) > stepMs && Math.sign(d - reference) === Math.sign(step));
      if (ahead.length >= CONFIRM - 2) {
        starts.push(i);
        i += LOOKBACK;
        continue;
      }
    }
    i += 1;
  }
  const segments: FitSegment[] = [];
  starts.forEach((start, s) => {
    const end = starts[s + 1] ?? xs.length;
    if (end - start < minPoints) return;
    const segmentXs = xs.slice(start, end);
    const segmentYs = ys.slice(start, end);
    const centred = robustFit(segmentXs, segmentYs);
    const fit = centred && scatter > LOWER_EDGE_SCATTER_MS ? lowerEdge(centred, segmentXs, segmentYs) : centred;
    if (fit) segments.push({ fromX: segments.length === 0 ? Number.NEGATIVE_INFINITY : xs[start]!, fit });
  });
  return segments;
}

/**
 * Pairs that scatter by more than this (ms) were each read a random time after the instant they
 * stand for (Firefox: a block's `currentTime` read any time before the next block, SPEC OT2), so
 * the speaker line runs along their lower edge, not through their middle (half a block, ~9 ms,
 * later), as the engine's audio clock map fits them too (SPEC OT5).
 */
const LOWER_EDGE_SCATTER_MS = 1;
/** The engine's lower edge (SPEC OT5), so the tap maps Firefox's pairs as the engine does. */
function lowerEdge(fit: LinearFit, xs: readonly number[], ys: readonly number[]): LinearFit {
  return { ...fit, intercept: fit.intercept + lowerEdgeOffset(xs.map((x, i) => ys[i]! - evalFit(fit, x))) };
}

/** The segment in force at `x`. */
export function segmentAt(segments: readonly FitSegment[], x: number): FitSegment | null {
  let current: FitSegment | null = null;
  for (const segment of segments) if (segment.fromX <= x) current = segment;
  return current;
}
