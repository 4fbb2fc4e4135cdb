import { describe, expect, it } from "vitest";
import { createLinkDirection, slices, THROTTLED_DIRECTION } from "./link-pacer.js";

describe("bench:media's throttled link (link-pacer)", () => {
  it("delivers a lone slice its transmission time plus the one-way delay after it arrived", () => {
    const link = createLinkDirection(THROTTLED_DIRECTION);
    // 4096 bytes at 4 Mbit/s: 8.192 ms on the wire, then 25 ms of delay.
    expect(link.deliveryMs(4096, 1000)).toBeCloseTo(1000 + 8.192 + 25, 9);
  });

  it("queues slices behind each other, so a second of back-to-back bytes carries 4 Mbit", () => {
    const link = createLinkDirection(THROTTLED_DIRECTION);
    let last = 0;
    // 500,000 bytes handed over at once (fake clock at 0): the last arrives 1 s + 25 ms later.
    for (const [start, end] of slices(500_000)) last = link.deliveryMs(end - start, 0);
    expect(last).toBeCloseTo(1025, 6);
  });

  it("shares one queue among connections: a second connection's slice waits for the first's", () => {
    const link = createLinkDirection({ bitsPerSecond: 8000, delayMs: 10 });
    // 8000 bit/s is 1 byte per ms: connection A's 100 bytes hold the link until t = 100.
    expect(link.deliveryMs(100, 0)).toBe(110);
    expect(link.deliveryMs(1, 50)).toBe(111);
  });

  it("starts afresh after an idle link: nothing queued, only the delay and the slice's own time", () => {
    const link = createLinkDirection({ bitsPerSecond: 8000, delayMs: 10 });
    link.deliveryMs(100, 0);
    expect(link.deliveryMs(5, 1000)).toBe(1015);
  });

  it("cuts bytes into slices that cover them exactly", () => {
    expect(slices(10_000, 4096)).toEqual([
      [0, 4096],
      [4096, 8192],
      [8192, 10_000],
    ]);
    expect(slices(0)).toEqual([]);
  });
});
