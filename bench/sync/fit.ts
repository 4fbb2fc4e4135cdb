/**
 * Pure numerics shared by the page (direct scheduling check) and the analysis: a robust
 * least-squares line and quantiles. No DOM, no Node.
 */

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

/** Linear-interpolated quantile `q` in [0, 1]; NaN for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = q * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

/** A fit valid from context time `fromX` (inclusive) up to the next segment's `fromX`. */
export interface FitSegment {
  readonly fromX: number;
  readonly fit: LinearFit;
}

/** A step in `y - slope * x` bigger than this (ms) starts a new segment. */
const STEP_MS = 1;
const LOOKBACK = 15;
const CONFIRM = 7;

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
    if (Math.abs(step) > STEP_MS) {
      const ahead = detrended.slice(i, i + CONFIRM).filter((d) => Math.abs(d - reference) > STEP_MS && Math.sign(d - reference) === Math.sign(step));
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
    const fit = robustFit(xs.slice(start, end), ys.slice(start, end));
    if (fit) segments.push({ fromX: segments.length === 0 ? Number.NEGATIVE_INFINITY : xs[start]!, fit });
  });
  return segments;
}

/** The segment in force at `x`. */
export function segmentAt(segments: readonly FitSegment[], x: number): FitSegment | null {
  let current: FitSegment | null = null;
  for (const segment of segments) if (segment.fromX <= x) current = segment;
  return current;
}
