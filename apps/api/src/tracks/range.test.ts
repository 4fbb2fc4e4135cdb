import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRange } from "./range.js";

describe("parseRange", () => {
  it("no header: full", () => expect(parseRange(undefined, 10)).toEqual({ kind: "full" }));
  it("first bytes", () => expect(parseRange("bytes=0-3", 10)).toEqual({ kind: "partial", start: 0, end: 3 }));
  it("middle range", () => expect(parseRange("bytes=4-6", 10)).toEqual({ kind: "partial", start: 4, end: 6 }));
  it("open-ended", () => expect(parseRange("bytes=7-", 10)).toEqual({ kind: "partial", start: 7, end: 9 }));
  it("suffix", () => expect(parseRange("bytes=-3", 10)).toEqual({ kind: "partial", start: 7, end: 9 }));
  it("suffix longer than the file is the whole file", () =>
    expect(parseRange("bytes=-500", 10)).toEqual({ kind: "partial", start: 0, end: 9 }));
  it("end past the file is clamped", () => expect(parseRange("bytes=5-999", 10)).toEqual({ kind: "partial", start: 5, end: 9 }));
  it("unit and spaces are tolerated", () => expect(parseRange("Bytes = 1-2", 10)).toEqual({ kind: "partial", start: 1, end: 2 }));

  it("start at or past the end: unsatisfiable", () => {
    expect(parseRange("bytes=10-", 10)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=50-60", 10)).toEqual({ kind: "unsatisfiable" });
  });
  it("zero-length suffix or empty file: unsatisfiable", () => {
    expect(parseRange("bytes=-0", 10)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=0-", 0)).toEqual({ kind: "unsatisfiable" });
  });
  it("malformed, reversed, other units or several ranges: ignored", () => {
    for (const header of ["bytes=abc", "bytes=5-3", "items=0-1", "bytes=-", "bytes=0-1,3-4", "bytes=1-2-3", ""]) {
      expect(parseRange(header, 10), header).toEqual({ kind: "full" });
    }
  });

  it("a partial result always lies inside the file (seeded property)", () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.option(fc.nat(2000)), fc.option(fc.nat(2000)), (size, a, b) => {
        const header = `bytes=${a ?? ""}-${b ?? ""}`;
        const result = parseRange(header, size);
        if (result.kind === "partial") {
          expect(result.start).toBeGreaterThanOrEqual(0);
          expect(result.end).toBeLessThan(size);
          expect(result.start).toBeLessThanOrEqual(result.end);
        }
      }),
      { seed: 7, numRuns: 2000 },
    );
  });
});
