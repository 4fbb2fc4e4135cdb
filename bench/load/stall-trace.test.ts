import { describe, expect, it } from "vitest";
import { parseStalls, summariseStalls } from "./stall-trace.js";

describe("stall trace", () => {
  it("reads [stall] lines among other output and skips malformed ones", () => {
    const text = [
      "[123:0x5f]  4521 ms: Scavenge 41.2 (52.1) -> 38.9 (52.6) MB, 1.84 / 0.00 ms",
      '[stall] {"endUs":1000,"ms":42.5,"onCpuMs":40.1,"waitMs":2.4}',
      '[stall] {"endUs":2000,"ms":"long","onCpuMs":1,"waitMs":1}',
      '[stall] {"endUs":3000,"ms":80,"onCpuMs":5,"waitMs":75}',
    ].join("\n");
    expect(parseStalls(text)).toEqual([
      { endUs: 1000, ms: 42.5, onCpuMs: 40.1, waitMs: 2.4 },
      { endUs: 3000, ms: 80, onCpuMs: 5, waitMs: 75 },
    ]);
  });

  it("sums the on-CPU and run-queue parts and keeps the longest stall", () => {
    const summary = summariseStalls([
      { endUs: 1000, ms: 42.5, onCpuMs: 40.1, waitMs: 2.4 },
      { endUs: 3000, ms: 80, onCpuMs: 5, waitMs: 75 },
    ]);
    expect(summary).toEqual({ count: 2, max: { endUs: 3000, ms: 80, onCpuMs: 5, waitMs: 75 }, onCpuMs: 45.1, waitMs: 77.4 });
    expect(summariseStalls([])).toEqual({ count: 0, max: null, onCpuMs: 0, waitMs: 0 });
  });
});
