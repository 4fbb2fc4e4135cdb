import { describe, expect, it } from "vitest";
import { evalFit, segmentAt, segmentedFit } from "./fit.js";
import { seededRandom } from "./delay-proxy.js";

/** Output timestamps every 10 ms: 1,400 ppm audio clock, 0.05 ms noise, a 4.6 ms stall at 6 s. */
function stamps(stallAtS: number | null) {
  const random = seededRandom(7);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < 1000; i += 1) {
    const x = 0.5 + i * 0.01;
    const stall = stallAtS !== null && x >= stallAtS ? 4.6 : 0;
    xs.push(x);
    ys.push(1234.5 + x * 1001.4 + stall + (random() - 0.5) * 0.1 + (i === 300 ? 3 : 0));
  }
  return { xs, ys };
}

describe("segmentedFit", () => {
  it("fits one line, shrugging off a single late pair", () => {
    const { xs, ys } = stamps(null);
    const segments = segmentedFit(xs, ys, 1000);
    expect(segments).toHaveLength(1);
    expect(Math.abs(evalFit(segments[0]!.fit, 5) - (1234.5 + 5 * 1001.4))).toBeLessThan(0.02);
  });

  it("starts a new segment at an audio stall and maps both sides exactly", () => {
    const { xs, ys } = stamps(6);
    const segments = segmentedFit(xs, ys, 1000);
    expect(segments).toHaveLength(2);
    expect(segments[1]!.fromX).toBeCloseTo(6, 2);
    expect(Math.abs(evalFit(segmentAt(segments, 3)!.fit, 3) - (1234.5 + 3 * 1001.4))).toBeLessThan(0.02);
    expect(Math.abs(evalFit(segmentAt(segments, 8)!.fit, 8) - (1234.5 + 8 * 1001.4 + 4.6))).toBeLessThan(0.02);
  });

  it("fits Firefox's block-quantised pairs (read 0–19 ms late) along their lower edge, uncut, yet still finds a 60 ms stall", () => {
    const random = seededRandom(3);
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < 1000; i += 1) {
      const x = 0.5 + i * 0.01;
      const stall = x >= 6 ? 60 : 0;
      xs.push(x);
      // Each pair read a uniform 0–19 ms after its block: Firefox's getOutputTimestamp (SPEC OT2).
      ys.push(1234.5 + x * 1000.3 + stall + random() * 19);
    }
    const plain = segmentedFit(xs.slice(0, 500), ys.slice(0, 500), 1000);
    expect(plain).toHaveLength(1);
    expect(Math.abs(evalFit(plain[0]!.fit, 3) - (1234.5 + 3 * 1000.3))).toBeLessThan(1);
    const stalled = segmentedFit(xs, ys, 1000);
    expect(stalled).toHaveLength(2);
    expect(stalled[1]!.fromX).toBeGreaterThan(5.9);
  });
});
