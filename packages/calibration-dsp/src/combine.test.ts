import { describe, expect, it } from "vitest";
import { combineRepeats, median } from "./index.js";

describe("combineRepeats", () => {
  it("[CAL5] drops a repeat far from the median and averages the rest", () => {
    expect(combineRepeats([10.1, 10.3, 42, 10.2])).toMatchObject({ ok: true, used: 3, rejected: 1 });
    const combined = combineRepeats([10.1, 10.3, 42, 10.2]);
    if (combined.ok) expect(combined.valueMs).toBeCloseTo(10.2, 9);
  });

  it("[CAL5] two repeats that disagree are refused as inconsistent; two that agree are averaged", () => {
    expect(combineRepeats([10, 14])).toEqual({ ok: false, reason: "inconsistent" });
    expect(combineRepeats([10, 10.6])).toMatchObject({ ok: true, valueMs: 10.3, used: 2 });
  });

  it("[CAL5] one repeat stands alone; none is refused", () => {
    expect(combineRepeats([3])).toMatchObject({ ok: true, valueMs: 3 });
    expect(combineRepeats([])).toEqual({ ok: false, reason: "no-repeats" });
  });

  it("[CAL5] without a strict majority of agreeing repeats there is no value", () => {
    expect(combineRepeats([0, 5, 10, 15])).toEqual({ ok: false, reason: "inconsistent" });
  });

  it("median of odd and even counts", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
