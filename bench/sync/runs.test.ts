import { describe, expect, it } from "vitest";
import type { RunResult } from "./run-scenario.js";
import { repeatedRows, repeatedTable } from "./runs.js";

const result = (scenario: string, p95: number, max: number, glitches: number, rate: number, load: number) =>
  ({
    scenario,
    interClientMs: { p50: 0, p95, max },
    clients: [{ renderedGlitches: glitches, maxRateDeviation: rate }, { renderedGlitches: 0, maxRateDeviation: null }],
    loadBefore: [load - 1, 0, 0],
    loadAfter: [load, 0, 0],
  }) as unknown as RunResult;

describe("repeated runs", () => {
  it("gives the median and the worst of every scenario over the runs, with the load of each", () => {
    const rows = repeatedRows([
      [result("lan", 0.2, 0.4, 0, 0.001, 3), result("jitter", 2, 5, 1, 0.004, 3.5)],
      [result("lan", 0.9, 3, 2, 0.002, 9)],
      [result("lan", 0.3, 0.5, 0, 0.001, 4), result("jitter", 4, 9, 0, 0.005, 4.2)],
    ]);
    expect(rows).toEqual([
      { scenario: "lan", runs: 3, p95: { median: 0.3, worst: 0.9 }, max: { median: 0.5, worst: 3 }, worstGlitches: 2, worstRateDeviationPct: 0.2, loads: [{ start: 2, end: 3 }, { start: 8, end: 9 }, { start: 3, end: 4 }] },
      { scenario: "jitter", runs: 2, p95: { median: 3, worst: 4 }, max: { median: 7, worst: 9 }, worstGlitches: 1, worstRateDeviationPct: 0.5, loads: [{ start: 2.5, end: 3.5 }, { start: 3.2, end: 4.2 }] },
    ]);
    expect(repeatedTable(rows)).toContain("| lan | 3 | 0.30 / 0.90 | 0.50 / 3.00 | 2 | 0.200 | 2.0 → 3.0, 8.0 → 9.0, 3.0 → 4.0 |");
  });
});
