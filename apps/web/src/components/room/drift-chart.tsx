"use client";

import type { DriftPoint } from "@sync-beats/sync-engine";
import { useEffect, useState } from "react";
import { driftChartGeometry } from "@/lib/drift-chart";

const WIDTH = 600;
const HEIGHT = 120;
const WINDOW_MS = 60_000;

/** Drift over the last 60 s as an SVG line; redraws each second so the window slides. */
export function DriftChart({ history, now }: { history: readonly DriftPoint[]; now: () => number }) {
  const [nowMs, setNowMs] = useState(now);
  useEffect(() => {
    const id = setInterval(() => setNowMs(now()), 1_000);
    return () => clearInterval(id);
  }, [now]);
  const latest = history.length > 0 ? Math.max(nowMs, history[history.length - 1]!.atMs) : nowMs;
  const { path, scaleMs } = driftChartGeometry(history, latest, { windowMs: WINDOW_MS, width: WIDTH, height: HEIGHT });
  return (
    <figure style={{ margin: 0 }}>
      <svg
        className="chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Drift over the last 60 seconds, scale ±${scaleMs} ms`}
        data-testid="drift-chart"
        data-points={history.length}
      >
        <line className="axis" x1={0} x2={WIDTH} y1={HEIGHT / 2} y2={HEIGHT / 2} />
        {path && <path className="line" d={path} />}
      </svg>
      {/* Labels outside the stretched SVG so they never distort on narrow screens. */}
      <figcaption className="spread muted small mono">
        <span>−60 s</span>
        <span>±{scaleMs} ms (ahead ↑)</span>
        <span>now</span>
      </figcaption>
    </figure>
  );
}
