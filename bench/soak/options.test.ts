import { describe, expect, it } from "vitest";
import { parseOptions } from "./options.js";

describe("soak options", () => {
  it("defaults to 500 clients in 50 rooms for 10 minutes, 2 of them warm-up", () => {
    const options = parseOptions([]);
    expect(options).toMatchObject({ clients: 500, rooms: 50, minutes: 10, sampleSeconds: 5, warmupMinutes: 2, churnPercentPerMinute: 1 });
    expect(options.commandGapSeconds).toEqual([10, 20]);
  });

  it("scales the default warm-up down for a short run", () => {
    expect(parseOptions(["--minutes", "1"]).warmupMinutes).toBeCloseTo(0.2);
  });

  it("takes the flags", () => {
    const options = parseOptions(["--clients", "40", "--rooms", "4", "--minutes", "3", "--sample-s", "2", "--churn", "10", "--command-gap-s", "3-5"]);
    expect(options).toMatchObject({ clients: 40, rooms: 4, minutes: 3, sampleSeconds: 2, churnPercentPerMinute: 10, commandGapSeconds: [3, 5] });
  });

  it("refuses impossible combinations", () => {
    expect(() => parseOptions(["--clients", "10", "--rooms", "20"])).toThrow(/exceeds/);
    expect(() => parseOptions(["--minutes", "2", "--warmup-min", "2"])).toThrow(/shorter/);
    expect(() => parseOptions(["--command-gap-s", "20-10"])).toThrow(/LOW-HIGH/);
    expect(() => parseOptions(["--clients", "1.5"])).toThrow(/whole/);
  });
});
