/**
 * The per-engine and cross-engine table of a mixed room (issue 14): each scenario's pairs within
 * Chromium, within Firefox, and across the two, against the LAN target (p95 <= 3 ms, max <= 10 ms).
 */
import type { RunResult } from "./run-scenario.js";

const ms = (value: number | null | undefined, digits = 2): string =>
  value === null || value === undefined || Number.isNaN(value) ? "-" : value.toFixed(digits);

const NAMES: Record<string, string> = { chromium: "Chromium", firefox: "Firefox" };
const pairsName = (label: string) =>
  label.includes("-") ? `${label.split("-").map((e) => NAMES[e] ?? e).join(" ↔ ")} pairs` : `${NAMES[label] ?? label} pairs`;

const HEADER = [
  "scenario",
  "pairs",
  "clients",
  "inter-client p50 / p95 / max (ms)",
  "after seek p95 / max (ms)",
  "client error p95 (ms)",
  "median offset (ms)",
  "p95 <= 3, max <= 10",
];

/**
 * One row per scenario and group. "median offset": within one engine, its clients' mean error vs
 * the timeline; across, how far the second engine plays ahead of the first (both medians over time).
 */
export function engineTable(runs: readonly RunResult[]): string {
  const lines = [`| ${HEADER.join(" | ")} |`, `|${HEADER.map(() => " --- ").join("|")}|`];
  for (const run of runs) {
    for (const group of run.engineGroups) {
      const members = run.clients.filter((c) => group.clients.includes(c.client));
      const met = group.interClientMs.p95 <= 3 && group.interClientMs.max <= 10;
      lines.push(
        `| ${[
          run.scenario,
          pairsName(group.label),
          members.map((c) => `c${c.client}`).join(" "),
          `${ms(group.interClientMs.p50)} / ${ms(group.interClientMs.p95)} / ${ms(group.interClientMs.max)}`,
          `${ms(group.afterSeekMs.p95)} / ${ms(group.afterSeekMs.max)}`,
          ms(Math.max(...members.map((c) => c.absErrorMs.p95))),
          ms(group.medianOffsetMs),
          run.interClientLimitMs > 0 ? "- (asymmetric: see its limit)" : met ? "met" : "missed",
        ].join(" | ")} |`,
      );
    }
  }
  return lines.join("\n");
}
