/** Least-squares trends and order statistics over the soak's samples. */

export interface Point {
  x: number;
  y: number;
}

export interface LinearFit {
  slope: number;
  intercept: number;
  /**
   * Standard error of the slope, assuming independent residuals. Memory samples are correlated
   * (a heap grows between collections), so this is a lower bound: read "slope > 2 × error" as
   * "worth a look", not as proof of a leak.
   */
  slopeStdError: number;
  points: number;
}

/** Ordinary least squares; null with fewer than three points or no spread in x. */
export function linearFit(points: readonly Point[]): LinearFit | null {
  const n = points.length;
  if (n < 3) return null;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - meanX) ** 2;
    sxy += (p.x - meanX) * (p.y - meanY);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  const residuals = points.reduce((sum, p) => sum + (p.y - (intercept + slope * p.x)) ** 2, 0);
  return { slope, intercept, slopeStdError: Math.sqrt(residuals / (n - 2) / sxx), points: n };
}

export interface Growth {
  /** Units per minute, from the fit over the samples at or after the warm-up. */
  perMinute: number;
  stdErrorPerMinute: number;
  /** Rising or falling: the slope is more than twice its standard error away from zero. */
  trend: "rising" | "falling" | "flat";
  /** Where the fitted line starts and ends over the fitted window (for the plot). */
  line: [Point, Point];
}

/** Growth per minute of `y` over samples taken at `x` milliseconds, ignoring those before `fromMs`. */
export function growthAfter(points: readonly Point[], fromMs: number): Growth | null {
  const kept = points.filter((p) => p.x >= fromMs && Number.isFinite(p.y));
  const fit = linearFit(kept);
  if (!fit) return null;
  const first = kept[0]!.x;
  const last = kept[kept.length - 1]!.x;
  const perMinute = fit.slope * 60_000;
  const stdErrorPerMinute = fit.slopeStdError * 60_000;
  return {
    perMinute,
    stdErrorPerMinute,
    trend: perMinute > 2 * stdErrorPerMinute ? "rising" : perMinute < -2 * stdErrorPerMinute ? "falling" : "flat",
    line: [
      { x: first, y: fit.intercept + fit.slope * first },
      { x: last, y: fit.intercept + fit.slope * last },
    ],
  };
}

/**
 * The lowest point in each window of `windowMs` (from the first point's x): for a heap, what
 * survives collection. Its trend shows a leak that the used heap's sawtooth hides in noise.
 */
export function lowWaterMarks(points: readonly Point[], windowMs: number): Point[] {
  const lows = new Map<number, Point>();
  const origin = points[0]?.x ?? 0;
  for (const point of points) {
    if (!Number.isFinite(point.y)) continue;
    const window = Math.floor((point.x - origin) / windowMs);
    const low = lows.get(window);
    if (!low || point.y < low.y) lows.set(window, point);
  }
  return [...lows.values()];
}

/** The `fraction` quantile (nearest rank) of the finite values; NaN when there are none. */
export function quantile(values: readonly number[], fraction: number): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}
