/** A weighted least-squares line `y = y0 + slope·(x − x0)`, centred on the weighted mean `x0`. */
export interface LineFit {
  /** Weighted mean of x (the centre, where the intercept is most precise). */
  readonly x0: number;
  /** Fitted y at `x0`. */
  readonly y0: number;
  readonly slope: number;
  /** Weighted RMS residual. */
  readonly rms: number;
  /** Number of points used. */
  readonly n: number;
  /** max(x) − min(x) over the points used. */
  readonly span: number;
}

/** One weighted point. */
export interface WeightedPoint {
  readonly x: number;
  readonly y: number;
  readonly w: number;
}

/**
 * Weighted least squares over `points`. Centring on the weighted mean keeps the arithmetic exact
 * enough for epoch-sized values (1.7e12 ms). With fewer than 2 distinct x values, or when
 * `fixedSlope` is given, only the intercept is fitted. Returns null for an empty/zero-weight set.
 */
export function fitLine(points: readonly WeightedPoint[], fixedSlope?: number): LineFit | null {
  let sw = 0;
  let minX = Infinity;
  let maxX = -Infinity;
  // Shift by the first point before summing, so large offsets do not eat the mantissa.
  const first = points[0];
  if (!first) return null;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sw += p.w;
    sx += p.w * (p.x - first.x);
    sy += p.w * (p.y - first.y);
    minX = Math.min(minX, p.x);
    maxX = Math.max(maxX, p.x);
  }
  if (!(sw > 0)) return null;
  const mx = sx / sw;
  const my = sy / sw;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    const dx = p.x - first.x - mx;
    sxx += p.w * dx * dx;
    sxy += p.w * dx * (p.y - first.y - my);
  }
  const slope = fixedSlope ?? (sxx > 0 ? sxy / sxx : 0);
  const x0 = first.x + mx;
  const y0 = first.y + my;
  let sr = 0;
  for (const p of points) {
    const r = p.y - (y0 + slope * (p.x - x0));
    sr += p.w * r * r;
  }
  return { x0, y0, slope, rms: Math.sqrt(sr / sw), n: points.length, span: maxX - minX };
}

/** Evaluates a fit at `x`. */
export function lineAt(fit: LineFit, x: number): number {
  return fit.y0 + fit.slope * (x - fit.x0);
}
