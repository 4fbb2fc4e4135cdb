/**
 * Room mode's table: the engine-mode columns that apply (no naive baseline: the room page runs
 * the one algorithm it ships), plus first sound after the host's click and the load at the start
 * and the end of each run (this machine is shared; figures move with it).
 */
import { converge, ms } from "./report.js";
import type { RoomRunResult } from "./room-scenario.js";
import { medianOf, worstClientP95 } from "./run-scenario.js";

const HEADER = [
  "scenario",
  "inter-client p50 / p95 / max (ms)",
  "after seek p95 / max (ms)",
  "client error p95 (ms)",
  "converge start / seek",
  "hard re-seeks",
  "glitches (max per page)",
  "max rate dev. (%)",
  "silent (worst page, % of window)",
  "first sound median / max (s)",
  "load start → end",
];

const seconds = (value: number | null) => (value === null ? "never" : (value / 1000).toFixed(1));

/** One row per run. */
export function roomTable(results: readonly RoomRunResult[]): string {
  const lines = [`| ${HEADER.join(" | ")} |`, `|${HEADER.map(() => " --- ").join("|")}|`];
  for (const r of results) {
    const c = r.clients;
    const sounded = r.firstSoundMs.filter((v): v is number => v !== null);
    const cells = [
      r.stallsMs.length > 0 ? `${r.scenario} (${r.stallsMs.join("/")} ms)` : r.scenario,
      `${ms(r.interClientMs.p50)} / ${ms(r.interClientMs.p95)} / ${ms(r.interClientMs.max)}`,
      `${ms(r.interClientAfterSeekMs.p95)} / ${ms(r.interClientAfterSeekMs.max)}`,
      ms(worstClientP95(r)),
      `${converge(c.map((x) => x.convergeAfterJoinMs))} / ${converge(c.map((x) => x.convergeAfterSeekMs))}`,
      String(c.reduce((sum, x) => sum + (x.hardSeeks ?? 0), 0)),
      String(Math.max(0, ...c.map((x) => x.renderedGlitches))),
      ms(Math.max(0, ...c.map((x) => (x.maxRateDeviation ?? 0) * 100)), 3),
      ms(Math.max(...c.map((x) => (100 * x.silentSamples) / Math.max(1, x.silentSamples + x.absErrorMs.n))), 1),
      `${seconds(medianOf(r.firstSoundMs))} / ${seconds(sounded.length === r.firstSoundMs.length ? Math.max(...sounded) : null)}`,
      `${ms(r.loadBefore[0], 1)} → ${ms(r.loadAfter[0], 1)}`,
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}
