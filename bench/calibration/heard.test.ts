import { DEFAULT_SWEEP, sweepSamples } from "@sync-beats/calibration-dsp";
import { describe, expect, it } from "vitest";
import { heardLateness, p95Residual, residuals } from "./heard.js";
import { linearClock } from "./microphone-mix.js";
import { RenderedSamples } from "./rendered-samples.js";

const RATE = 48_000;

describe("what the microphone heard, from what the pages rendered", () => {
  const sweep = sweepSamples(DEFAULT_SWEEP, RATE);
  it("adds each page's path to its rendered onset, averages its repeats, skips silent paths, and centres on the median", () => {
    const clock = linearClock(0, RATE);
    const twice = (first: number, second: number) => {
      const rendered = new RenderedSamples();
      const records: number[] = [0, Number.NaN];
      for (const start of [first, second]) {
        sweep.forEach((value, i) => records.push(start + i, value));
        records.push(start + sweep.length, Number.NaN);
      }
      rendered.append(records, 1e9);
      return rendered;
    };
    const pages = new Map([
      ["a", { samples: twice(48_000, 96_000), clock, path: { delayMs: 10, gain: 1 } }],
      ["b", { samples: twice(72_000 + 48, 120_000 + 96), clock, path: { delayMs: 0, gain: 1 } }],
      ["c", { samples: twice(48_000, 96_000), clock, path: { delayMs: 4, gain: 0.2 } }],
      ["mute", { samples: twice(48_000, 96_000), clock, path: { delayMs: 0, gain: 0 } }],
    ]);
    const slots = [
      { key: "a", atServerMs: 1000 }, { key: "b", atServerMs: 1500 }, { key: "c", atServerMs: 1000 }, { key: "mute", atServerMs: 1000 },
      { key: "a", atServerMs: 2000 }, { key: "b", atServerMs: 2500 }, { key: "c", atServerMs: 2000 }, { key: "mute", atServerMs: 2000 },
    ];
    const lateness = heardLateness(slots, pages, 400);
    expect([...lateness.keys()].sort()).toEqual(["a", "b", "c"]);
    expect(lateness.get("a")).toBeCloseTo(10, 9);
    expect(lateness.get("b")).toBeCloseTo(1.5, 9);
    expect(lateness.get("c")).toBeCloseTo(4, 9);
    const centred = residuals(lateness);
    expect(centred.get("c")).toBeCloseTo(0, 9);
    expect(centred.get("a")).toBeCloseTo(6, 9);
    expect(p95Residual(centred.values())).toBeCloseTo(5.65, 9);
  });
});
