import { describe, expect, it } from "vitest";
import type { ErrorSeries } from "./analysis.js";
import { engineGroups } from "./engine-pairs.js";

/** Four grid instants 0, 5, 10, 15 ms; `errors[client]` per instant. */
const series = (errors: number[][]): ErrorSeries => ({
  gridMs: Float64Array.from([0, 5, 10, 15]),
  errorsMs: errors.map((e) => Float64Array.from(e)),
});

describe("engineGroups", () => {
  const room = series([
    [0, 1, 0, 0], // chromium
    [0.5, 0, 0, 0], // chromium
    [3, 3, 3, Number.NaN], // firefox, silent at 15 ms
    [2, 2, 4, 2], // firefox
  ]);
  const engines = ["chromium", "chromium", "firefox", "firefox"] as const;
  const groups = engineGroups(room, engines, [[0, 20]], [[10, 20]]);
  const byLabel = new Map(groups.map((g) => [g.label, g]));

  it("gives one group per engine and one across, with their clients", () => {
    expect(groups.map((g) => [g.label, g.clients])).toEqual([
      ["chromium", [0, 1]],
      ["firefox", [2, 3]],
      ["chromium-firefox", [0, 1, 2, 3]],
    ]);
  });

  it("within an engine: max minus min of its clients, instants where one is silent left out", () => {
    expect(byLabel.get("chromium")!.interClientMs).toMatchObject({ max: 1, n: 4 });
    expect(byLabel.get("firefox")!.interClientMs).toMatchObject({ max: 1, n: 3 });
    expect(byLabel.get("chromium")!.afterSeekMs).toMatchObject({ max: 0, n: 2 });
  });

  it("across engines: the worst pair with one client in each, and the second engine's lead", () => {
    // At 0 ms: |3 − 0| = 3; at 5: |3 − 0| = 3; at 10: |4 − 0| = 4; at 15 firefox is incomplete.
    expect(byLabel.get("chromium-firefox")!.interClientMs).toMatchObject({ max: 4, n: 3 });
    // Firefox mean minus Chromium mean: 2.25, 2, 3.5.
    expect(byLabel.get("chromium-firefox")!.medianOffsetMs).toBeCloseTo(2.25, 9);
  });

  it("a lone client makes no pairs of its engine; a room in one engine has no cross-engine group", () => {
    expect(engineGroups(room, ["chromium", "chromium", "chromium", "firefox"], [[0, 20]], []).map((g) => g.label)).toEqual(["chromium", "chromium-firefox"]);
    expect(engineGroups(room, ["firefox", "firefox", "firefox", "firefox"], [[0, 20]], []).map((g) => g.label)).toEqual(["firefox"]);
  });
});
