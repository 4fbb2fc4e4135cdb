import { describe, expect, it } from "vitest";
import { emptyDelayRecord } from "./delay-proxy.js";
import { clockSampleReport, sampleLegs, type ClockFrame } from "./room-clock-samples.js";

// Page clock 50 ppm fast from real epoch 1000; bench = real + 2; server = bench + 5000; proxy = bench + 1.
const frame: ClockFrame = { rate: 1 + 50e-6, realTimeOrigin: 1000, benchMinusPageMs: 2, serverMinusBenchMs: 5000, proxyMinusBenchMs: 1 };
const local = (benchMs: number) => (benchMs - frame.benchMinusPageMs - frame.realTimeOrigin) * frame.rate;

/** An exchange sent at bench `at`: `up` and `down` ms true legs, the proxy reading each frame `pageMs` / writing `pageMs` from the page. */
function exchange(at: number, up: number, down: number, pageLateMs = 0) {
  const t0 = local(at);
  const t1 = at + up + frame.serverMinusBenchMs;
  const t2 = t1 + 1;
  const t3 = local(at + up + 1 + down);
  const proxy = (benchMs: number) => benchMs + frame.proxyMinusBenchMs;
  return {
    page: { t0, t1, t2, t3, eventQueuedMs: 0 },
    ping: { type: "time_ping" as const, t0, arrivedMs: proxy(at + 0.5), plannedMs: proxy(at + up - 1), writtenMs: proxy(at + up - 0.5) },
    pong: { type: "time_pong" as const, t0, arrivedMs: proxy(at + up + 1.2), plannedMs: proxy(at + up + 1 + down - pageLateMs - 0.3), writtenMs: proxy(at + up + 1 + down - pageLateMs) },
  };
}

describe("room clock samples", () => {
  it("splits each true leg into the page's, the proxy's and the server's parts", () => {
    const e = exchange(10_000, 30, 50, 7);
    const up = emptyDelayRecord();
    const down = emptyDelayRecord();
    up.exchanges.push(e.ping);
    down.exchanges.push(e.pong);
    const [legs] = sampleLegs([e.page], { up, down }, frame);
    expect(legs!.upMs).toBeCloseTo(30, 6);
    expect(legs!.downMs).toBeCloseTo(50, 6);
    expect(legs!.errorMs).toBeCloseTo(-10, 6);
    expect(legs!.up!.pageMs).toBeCloseTo(0.5, 6);
    expect(legs!.up!.lateMs).toBeCloseTo(0.5, 6);
    expect(legs!.up!.serverMs).toBeCloseTo(0.5, 6);
    expect(legs!.down!.serverMs).toBeCloseTo(0.2, 6);
    expect(legs!.down!.lateMs).toBeCloseTo(0.3, 6);
    expect(legs!.down!.pageMs).toBeCloseTo(7, 6);
  });

  it("replays the estimator: late pong events raise the down floor and bias the estimate by half of it", () => {
    const up = emptyDelayRecord();
    const down = emptyDelayRecord();
    const pages = Array.from({ length: 40 }, (_, i) => exchange(10_000 + 500 * i, 20, 20, 4));
    for (const e of pages) up.exchanges.push(e.ping), down.exchanges.push(e.pong);
    const report = clockSampleReport(pages.map((e) => e.page), { up, down }, frame, 0)!;
    expect(report.floorsMs.up).toBeCloseTo(20, 6);
    expect(report.floorsMs.down).toBeCloseTo(20, 6);
    // Equal true legs: the estimate is right, and the binding down sample shows its 4 ms page part.
    expect(Math.abs(report.estimateErrorMs!)).toBeLessThan(0.01);
    expect(report.bindingDown!.down!.pageMs).toBeCloseTo(4, 6);
    expect(report.parts.downPage.p50).toBeCloseTo(4, 6);
  });
});
