/**
 * Sub-sample position of the peak at `index`: the vertex of the parabola through the sample and
 * its two neighbours. At an edge, or on a flat top, the sample itself.
 */
export function parabolicPeak(values: ArrayLike<number>, index: number): number {
  if (index <= 0 || index >= values.length - 1) return index;
  const left = values[index - 1]!;
  const centre = values[index]!;
  const right = values[index + 1]!;
  const curvature = left - 2 * centre + right;
  if (curvature >= 0) return index;
  return index + (0.5 * (left - right)) / curvature;
}

/** Index of the largest value in `values[from, to)`; -1 when the range is empty. */
export function argMax(values: ArrayLike<number>, from = 0, to = values.length): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let i = Math.max(0, from); i < Math.min(to, values.length); i++) {
    if (values[i]! > bestValue) {
      bestValue = values[i]!;
      best = i;
    }
  }
  return best;
}
