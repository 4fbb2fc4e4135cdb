import { describe, expect, it } from "vitest";
import { replayErrorP95 } from "./clock-replay.js";
import type { ClockFrame, ClockSampleReport } from "./room-clock-samples.js";

const frame: ClockFrame = { rate: 1 + 60e-6, realTimeOrigin: 1.764e12, benchMinusPageMs: 3, serverMinusBenchMs: -40, proxyMinusBenchMs: 0 };
const serverAt = (local: number) => frame.realTimeOrigin + local / frame.rate + frame.benchMinusPageMs + frame.serverMinusBenchMs;

/** A page pinging every 250 ms over 60 s; its pongs' handling lags by `downLagMs(i)`, legs otherwise 10 ms. */
function report(downLagMs: (i: number) => number): ClockSampleReport {
  const exchanges = Array.from({ length: 240 }, (_, i) => {
    const t0 = 1_000 + 250 * i;
    const t1 = serverAt(t0 + 10);
    return { t0, t1, t2: t1, t3: t0 + 20 + downLagMs(i), eventQueuedMs: 0 };
  });
  return { exchanges, frame } as unknown as ClockSampleReport;
}

describe("clock replay", () => {
  it("finds no error on exact legs, with the rate fitted or given", () => {
    expect(replayErrorP95(report(() => 0), false)).toBeLessThan(0.05);
    expect(replayErrorP95(report(() => 0), true)).toBeLessThan(0.05);
  });

  it("counts half of a constant pong lag the engine cannot see", () => {
    expect(replayErrorP95(report(() => 4), true)).toBeCloseTo(2, 1);
  });
});
