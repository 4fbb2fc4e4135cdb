import { describe, expect, it } from "vitest";
import { allRatios } from "./report.js";
import type { ScenarioResult } from "./scenario-result.js";

/** Only the fields the ratios read; the rest of a result does not enter them. */
function result(scenario: "single" | "baseline", clients: number, p99: number): ScenarioResult {
  const phase = { latency: { p50: p99 / 2, p99 }, pongRtt: { p99 }, fanOutPerCpuSecond: 1_000, fanOutPerSecond: 1_000, serverCpuMicrosPerFrame: 10 };
  return { scenario, clients, rssPerIdleConnectionKb: 6, steady: phase, saturate: phase } as unknown as ScenarioResult;
}

describe("bench:load ratios", () => {
  it("pairs the k-th sync run with the k-th baseline run of the same size (an A B B A run gives two pairs)", () => {
    const results = [
      result("single", 10_000, 10),
      result("baseline", 10_000, 20),
      result("baseline", 10_000, 5),
      result("single", 10_000, 15),
      result("single", 15_000, 30),
    ];
    const ratios = allRatios(results);
    expect(ratios.map(({ clients, pair, fanOutP99 }) => ({ clients, pair, fanOutP99 }))).toEqual([
      { clients: 10_000, pair: 1, fanOutP99: 0.5 },
      { clients: 10_000, pair: 2, fanOutP99: 3 },
    ]);
  });
});
