import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clampOffset, readOutputLatencyOffset, writeOutputLatencyOffset } from "./latency-offset-store";

/** A real Storage-shaped map: the suite runs in Node, where there is no window. */
class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

let storage: MemoryStorage;
beforeEach(() => {
  storage = new MemoryStorage();
  (globalThis as { window?: unknown }).window = { localStorage: storage };
});
afterEach(() => {
  delete (globalThis as { window?: unknown }).window;
});

describe("latency offset store", () => {
  it("[CAL15] keeps a calibrated offset to a hundredth of a millisecond, clamped to ±1 s", () => {
    expect(clampOffset(12.3456)).toBeCloseTo(12.35, 9);
    expect(clampOffset(5000)).toBe(1000);
    expect(clampOffset(Number.NaN)).toBe(0);
  });

  it("[CAL15] keeps one offset per output route; the default route keeps the original key", () => {
    writeOutputLatencyOffset(40.25);
    writeOutputLatencyOffset(212.5, "bt-speaker-id");
    expect(readOutputLatencyOffset()).toBe(40.25);
    expect(readOutputLatencyOffset("bt-speaker-id")).toBe(212.5);
    expect(readOutputLatencyOffset("other")).toBe(0);
    expect(storage.items.get("syncBeats.outputLatencyOffsetMs")).toBe("40.25");
  });
});
