/**
 * Median and worst of repeated runs (issue 17: a figure from one lucky run is not a result).
 * Pure: takes each run's per-scenario results, gives one row per scenario.
 */
import type { RunResult } from "./run-scenario.js";

export interface RepeatedRow {
  readonly scenario: string;
  readonly runs: number;
  /** Inter-client p95 (ms): median and worst over the runs. */
  readonly p95: { readonly median: number; readonly worst: number };
  readonly max: { readonly median: number; readonly worst: number };
  /** Rendered glitches of the worst page, and the largest rendered rate deviation (%), worst run. */
  readonly worstGlitches: number;
  readonly worstRateDeviationPct: number;
  /** 1-minute load average at the start and the end of each run. */
  readonly loads: readonly { readonly start: number; readonly end: number }[];
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** One row per scenario over every run that produced it. */
export function repeatedRows(runs: readonly (readonly RunResult[])[]): RepeatedRow[] {
  const byScenario = new Map<string, RunResult[]>();
  for (const run of runs) for (const result of run) byScenario.set(result.scenario, [...(byScenario.get(result.scenario) ?? []), result]);
  return [...byScenario].map(([scenario, results]) => {
    const p95s = results.map((r) => r.interClientMs.p95);
    const maxes = results.map((r) => r.interClientMs.max);
    return {
      scenario,
      runs: results.length,
      p95: { median: median(p95s), worst: Math.max(...p95s) },
      max: { median: median(maxes), worst: Math.max(...maxes) },
      worstGlitches: Math.max(0, ...results.flatMap((r) => r.clients.map((c) => c.renderedGlitches))),
      worstRateDeviationPct: 100 * Math.max(0, ...results.flatMap((r) => r.clients.map((c) => c.maxRateDeviation ?? 0))),
      loads: results.map((r) => ({ start: r.loadBefore[0] ?? Number.NaN, end: r.loadAfter[0] ?? Number.NaN })),
    };
  });
}

/** The Markdown table of {@link repeatedRows}. */
export function repeatedTable(rows: readonly RepeatedRow[]): string {
  const header = ["scenario", "runs", "inter-client p95 median / worst (ms)", "max median / worst (ms)", "glitches (worst page)", "max rate dev. (%)", "load start → end, each run"];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => " --- ").join("|")}|`];
  for (const r of rows) {
    lines.push(
      `| ${[r.scenario, String(r.runs), `${r.p95.median.toFixed(2)} / ${r.p95.worst.toFixed(2)}`, `${r.max.median.toFixed(2)} / ${r.max.worst.toFixed(2)}`, String(r.worstGlitches), r.worstRateDeviationPct.toFixed(3), r.loads.map((l) => `${l.start.toFixed(1)} → ${l.end.toFixed(1)}`).join(", ")].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}
