import { describe, expect, it } from "vitest";
import { FakeClock } from "../test/fake-clock.js";
import { bestOffset, offsetClock } from "./shared-time.js";

describe("bestOffset", () => {
  it("uses the sample with the smallest round trip", () => {
    const trueOffset = 250;
    const samples = [
      { sentAt: 0, receivedAt: 40, referenceMs: 10 + trueOffset },
      { sentAt: 100, receivedAt: 102, referenceMs: 101 + trueOffset },
      { sentAt: 200, receivedAt: 230, referenceMs: 229 + trueOffset },
    ];
    expect(bestOffset(samples)).toBe(trueOffset);
  });

  it("refuses an empty set", () => {
    expect(() => bestOffset([])).toThrow();
  });
});

describe("offsetClock", () => {
  it("reads the base shifted by the current offset and runs timers on the base", () => {
    const base = new FakeClock(1_000);
    let offset = 5;
    const clock = offsetClock(base, () => offset);
    expect(clock.now()).toBe(1_005);
    offset = -3;
    expect(clock.now()).toBe(997);
    let fired = false;
    clock.setTimeout(() => (fired = true), 10);
    base.advance(10);
    expect(fired).toBe(true);
  });
});
