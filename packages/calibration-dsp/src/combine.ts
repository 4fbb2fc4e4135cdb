/** Repeats of one device's arrival further than this from their median are outliers. */
export const DEFAULT_REPEAT_TOLERANCE_MS = 0.5;

/**
 * One value from repeated measurements, or a refusal: repeats further than `toleranceMs` from the
 * median are dropped, and the mean of the rest is kept only when they are a strict majority
 * (two repeats must therefore agree within twice the tolerance; one repeat stands alone).
 */
export type Combined =
  | { readonly ok: true; readonly valueMs: number; readonly used: number; readonly rejected: number }
  | { readonly ok: false; readonly reason: "no-repeats" | "inconsistent" };

/** Combines repeated measurements of one quantity with median-based outlier rejection. */
export function combineRepeats(valuesMs: readonly number[], toleranceMs = DEFAULT_REPEAT_TOLERANCE_MS): Combined {
  if (valuesMs.length === 0) return { ok: false, reason: "no-repeats" };
  const centre = median(valuesMs);
  const inliers = valuesMs.filter((value) => Math.abs(value - centre) <= toleranceMs);
  if (inliers.length * 2 <= valuesMs.length) return { ok: false, reason: "inconsistent" };
  const valueMs = inliers.reduce((sum, value) => sum + value, 0) / inliers.length;
  return { ok: true, valueMs, used: inliers.length, rejected: valuesMs.length - inliers.length };
}

/** The median (mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
