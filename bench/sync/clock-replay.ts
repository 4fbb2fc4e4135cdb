/**
 * Replays a room-mode result's recorded clock exchanges (`room-clock-samples.ts`) through the
 * engine's clock filter, offline: per scenario, each page's |error| p95 against its true clock
 * from its 40th sample on, as the engine estimates the rate and with the page's true rate given
 * (what the floors alone would leave). Tells the rate's share of a page's clock error apart.
 *
 *   npx tsx bench/sync/clock-replay.ts bench-results/sync-room-<stamp>.json
 */
import { readFileSync } from "node:fs";
import { DEFAULT_CLOCK_FILTER, estimateClock, type ClockSample } from "@sync-beats/sync-engine";
import { quantile } from "./fit.js";
import type { ClockSampleReport } from "./room-clock-samples.js";

/** Chromium's clock step on the (not cross-origin isolated) room page, as the engine measures it. */
const TIMER_QUANTUM_MS = 0.1;
/** Samples before the errors count: the start-up burst, when the engine waits anyway (PB17). */
const FROM_SAMPLE = 40;

/** |error| p95 (ms) of the estimate after each sample; `trueRate` fixes the rate at the page's real one. */
export function replayErrorP95(report: ClockSampleReport, trueRate: boolean): number {
  const { frame, exchanges } = report;
  const truth = (local: number) => frame.realTimeOrigin + local / frame.rate + frame.benchMinusPageMs + frame.serverMinusBenchMs - local;
  const options = { ...DEFAULT_CLOCK_FILTER, timerQuantumMs: TIMER_QUANTUM_MS, ...(trueRate ? { minSkewSpanMs: Infinity } : {}) };
  const errors: number[] = [];
  let prior = trueRate ? 1 / frame.rate - 1 : 0;
  for (let n = 1; n <= exchanges.length; n += 1) {
    const window: ClockSample[] = exchanges.slice(Math.max(0, n - 300), n);
    const est = estimateClock(window, options, prior);
    if (!est) continue;
    if (!trueRate) prior = est.skew;
    const at = exchanges[n - 1]!.t3;
    if (n >= FROM_SAMPLE) errors.push(Math.abs(est.offsetMs + est.skew * (at - est.refLocalMs) - truth(at)));
  }
  return quantile(errors, 0.95);
}

function main(path: string): void {
  const result = JSON.parse(readFileSync(path, "utf8")) as { runs: { scenario: string; clockSamples?: (ClockSampleReport | null)[] }[][] };
  const byScenario = new Map<string, { engine: number[]; trueRate: number[] }>();
  for (const run of result.runs.flat()) {
    for (const report of run.clockSamples ?? []) {
      if (!report || report.exchanges.length < FROM_SAMPLE) continue;
      const row = byScenario.get(run.scenario) ?? { engine: [], trueRate: [] };
      row.engine.push(replayErrorP95(report, false));
      row.trueRate.push(replayErrorP95(report, true));
      byScenario.set(run.scenario, row);
    }
  }
  console.log("| scenario | page-runs | clock |error| p95, engine: median / worst (ms) | same, true rate given (ms) |\n|---|---|---|---|");
  for (const [scenario, row] of byScenario) {
    const cell = (v: number[]) => `${quantile(v, 0.5).toFixed(2)} / ${Math.max(...v).toFixed(2)}`;
    console.log(`| ${scenario} | ${row.engine.length} | ${cell(row.engine)} | ${cell(row.trueRate)} |`);
  }
}

if (process.argv[2]) main(process.argv[2]);
else console.error("usage: npx tsx bench/sync/clock-replay.ts <sync-room-*.json>");
