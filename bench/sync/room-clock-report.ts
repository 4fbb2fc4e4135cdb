/**
 * Room mode's clock-sample table (one row per page): the replayed estimate's error, the true leg
 * floors against the proxies' planned ones, the median page-side and proxy lateness per leg, and
 * what the two bound-setting samples carried. Printed after each run; the JSON keeps the rest.
 */
import { ms } from "./report.js";
import type { ClockSampleReport, SampleLegs } from "./room-clock-samples.js";

const HEADER = [
  "page",
  "estimate error (ms)",
  "floor up / down, planned up / down (ms)",
  "p50 page lateness up / down; event queued p50 / p95 (ms)",
  "p50 / p95 proxy lateness up / down (ms)",
  "binding up: page / late / server (ms)",
  "binding down: server / late / page (ms)",
];

const upParts = (l: SampleLegs | null) => (l?.up ? `${ms(l.up.pageMs)} / ${ms(l.up.lateMs)} / ${ms(l.up.serverMs)}` : "—");
const downParts = (l: SampleLegs | null) => (l?.down ? `${ms(l.down.serverMs)} / ${ms(l.down.lateMs)} / ${ms(l.down.pageMs)}` : "—");

export function clockSampleTable(reports: readonly (ClockSampleReport | null)[], proxyNice: number | null, proxyLateP95Ms: number): string {
  const lines = [
    `clock samples (proxies' process nice ${proxyNice ?? "unchanged"}, its lateness p95 ${ms(proxyLateP95Ms)} ms over all chunks):`,
    "",
    `| ${HEADER.join(" | ")} |`,
    `|${HEADER.map(() => " --- ").join("|")}|`,
  ];
  reports.forEach((r, i) => {
    if (!r) return lines.push(`| ${i} | no exchanges recorded |`);
    const f = r.floorsMs;
    const p = r.parts;
    lines.push(
      `| ${i} | ${ms(r.estimateErrorMs)} | ${ms(f.up)} / ${ms(f.down)}, ${ms(f.plannedUp)} / ${ms(f.plannedDown)} | ${ms(p.upPage.p50)} / ${ms(p.downPage.p50)}; ${ms(p.eventQueued.p50)} / ${ms(p.eventQueued.p95)} | ${ms(p.upLate.p50)} / ${ms(p.upLate.p95)} / ${ms(p.downLate.p50)} / ${ms(p.downLate.p95)} | ${upParts(r.bindingUp)} | ${downParts(r.bindingDown)} |`,
    );
  });
  return lines.join("\n");
}
