/** A point for {@link supportSlope}. */
export interface XY {
  readonly x: number;
  readonly y: number;
}

function cross(o: XY, a: XY, b: XY): number {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/**
 * The slope of the line that lies on one side of every point (`below` all of them, or above)
 * and minimises the summed vertical distance to them: the edge of the convex hull over the mean
 * x (the linear program of Moon, Skelly and Towsley's clock-skew estimator). Delays only ever add
 * to a one-way measurement, so its floor is such a supporting line. Null with fewer than two
 * distinct x values.
 */
export function supportSlope(points: readonly XY[], side: "below" | "above"): number | null {
  const sign = side === "below" ? 1 : -1;
  const pts = points.map((p) => ({ x: p.x, y: sign * p.y })).sort((a, b) => a.x - b.x || a.y - b.y);
  const hull: XY[] = [];
  for (const p of pts) {
    // Sorted by y within one x: the first is the only one that can be on the lower hull.
    if (hull.length > 0 && hull[hull.length - 1]!.x === p.x) continue;
    while (hull.length >= 2 && cross(hull[hull.length - 2]!, hull[hull.length - 1]!, p) <= 0) hull.pop();
    hull.push(p);
  }
  if (hull.length < 2) return null;
  const meanX = pts.reduce((sum, p) => sum + p.x, 0) / pts.length;
  for (let i = 0; i + 1 < hull.length; i++) {
    const a = hull[i]!;
    const b = hull[i + 1]!;
    if (b.x >= meanX || i + 2 === hull.length) return (sign * (b.y - a.y)) / (b.x - a.x);
  }
  return null;
}
