export interface DriftSample {
  readonly atMs: number;
  readonly driftMs: number;
}

export interface ChartGeometry {
  /** SVG path `d` (empty when there is nothing to draw). */
  path: string;
  /** The y axis spans ±scaleMs. */
  scaleMs: number;
}

const NICE_SCALES_MS = [2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

/** The smallest "nice" half-range that contains every sample. */
export function niceScale(maxAbsMs: number): number {
  return NICE_SCALES_MS.find((scale) => scale >= maxAbsMs) ?? NICE_SCALES_MS[NICE_SCALES_MS.length - 1]!;
}

/**
 * Lays drift samples of the last `windowMs` (ending at `nowMs`) onto a `width`×`height` box: time
 * left to right, zero drift in the middle, positive (ahead) upwards. Values past the largest scale
 * are clipped to the edge.
 */
export function driftChartGeometry(
  samples: readonly DriftSample[],
  nowMs: number,
  options: { windowMs: number; width: number; height: number },
): ChartGeometry {
  const start = nowMs - options.windowMs;
  const visible = samples.filter((s) => s.atMs >= start && s.atMs <= nowMs && Number.isFinite(s.driftMs));
  const scaleMs = niceScale(Math.max(0, ...visible.map((s) => Math.abs(s.driftMs))));
  const mid = options.height / 2;
  const path = visible
    .map((s, i) => {
      const x = ((s.atMs - start) / options.windowMs) * options.width;
      const clipped = Math.max(-scaleMs, Math.min(scaleMs, s.driftMs));
      const y = mid - (clipped / scaleMs) * mid;
      return `${i === 0 ? "M" : "L"}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(" ");
  return { path, scaleMs };
}
