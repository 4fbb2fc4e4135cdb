import { describe, expect, it } from "vitest";
import { parseGcPauses, summariseGc } from "./gc-trace.js";

describe("gc trace", () => {
  it("reads each pause of V8's --trace-gc lines and ignores the rest", () => {
    const text = [
      "[4242:0x6a4e000]     4521 ms: Scavenge 41.2 (52.1) -> 38.9 (52.6) MB, 1.84 / 0.00 ms  (average mu = 0.990, current mu = 0.990) allocation failure;",
      '{"level":40,"msg":"not a gc line"}',
      "[4242:0x6a4e000]     9001 ms: Mark-Compact 120.5 (140.0) -> 80.1 (139.0) MB, 12.50 / 0.10 ms  (+ 3.2 ms in 20 steps since start of marking) finalize incremental marking;",
    ].join("\n");
    const pauses = parseGcPauses(text, 7);
    expect(pauses).toEqual([
      { kind: "scavenge", ms: 1.84, at: 7 },
      { kind: "mark-compact", ms: 12.5, at: 7 },
    ]);
    expect(summariseGc(pauses)).toEqual({ scavenges: 1, markCompacts: 1, totalPauseMs: 14.34, maxPauseMs: 12.5 });
  });
});
