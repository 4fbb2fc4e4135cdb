/**
 * The lower edge of a scatter of pairs (SPEC OT5). Firefox makes its `getOutputTimestamp()` pair
 * up at the call from a `currentTime` that moves in ~19 ms blocks (OT2): each pair is read some
 * time after the instant it stands for, never before, so its local time is late by 0 up to the
 * read interval. The speaker line runs along the earliest reads, not through their middle (which a
 * least-squares line does: about half the read interval late). Shared by the engine's audio clock
 * map and the benchmark's tap fit, so both map Firefox's pairs the same way.
 */

/** The lower edge is this quantile of the residuals: robust to a few pairs read early (timer steps). */
export const LOWER_EDGE_QUANTILE = 0.02;

/**
 * How far (ms, ≤ 0 for a centred fit) the lower edge of `residuals` (pair − centred line) lies
 * from the line: add it to the line's intercept. 0 for no residuals.
 */
export function lowerEdgeOffset(residuals: readonly number[]): number {
  return residuals.length === 0 ? 0 : quantile(residuals, LOWER_EDGE_QUANTILE);
}

/** Quantile `q` in [0, 1] of `values`, linearly interpolated between the two nearest ranks; NaN for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = q * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}
