import { describe, expect, it } from "vitest";
import { DeliveryLedger } from "./delivery-ledger.js";

/** Every expected copy ends in exactly one of these buckets once nothing is open. */
function balanced(ledger: DeliveryLedger): boolean {
  const { expected, delivered, dropped, excused, refused } = ledger.counts;
  return ledger.outstanding === 0 && expected === delivered + dropped + excused + refused;
}

describe("DeliveryLedger", () => {
  it("counts a copy per recipient and closes the item when all came", () => {
    const ledger = new DeliveryLedger();
    ledger.expect("SEEK 1", [1, 2, 3], 100);
    expect(ledger.deliver("SEEK 1", 1, 103)).toEqual({ outcome: "delivered", ageMs: 3 });
    ledger.deliver("SEEK 1", 2, 104);
    expect(ledger.outstanding).toBe(1);
    ledger.deliver("SEEK 1", 3, 104);
    expect(ledger.outstanding).toBe(0);
    expect(ledger.counts).toMatchObject({ expected: 3, delivered: 3, dropped: 0 });
    expect(balanced(ledger)).toBe(true);
  });

  it("calls what is missing at settlement a drop, and keeps the record", () => {
    const ledger = new DeliveryLedger();
    ledger.expect("PAUSE 7", [1, 2, 3], 1_000);
    ledger.deliver("PAUSE 7", 2, 1_001);
    expect(ledger.settle(5_000, 10_000)).toBe(0);
    expect(ledger.settle(11_000, 10_000)).toBe(2);
    expect(ledger.counts.dropped).toBe(2);
    expect(ledger.drops).toEqual([{ key: "PAUSE 7", sentAtMs: 1_000, missing: [1, 3] }]);
    expect(balanced(ledger)).toBe(true);
  });

  it("excuses a recipient that disconnected before its copy came", () => {
    const ledger = new DeliveryLedger();
    ledger.expect("a", [1, 2], 0);
    ledger.expect("b", [2], 0);
    ledger.excuse(2);
    expect(ledger.outstanding).toBe(1);
    expect(ledger.isWaiting("a", 1)).toBe(true);
    expect(ledger.isWaiting("a", 2)).toBe(false);
    ledger.settleAll();
    expect(ledger.counts).toMatchObject({ excused: 2, dropped: 1 });
    expect(balanced(ledger)).toBe(true);
  });

  it("does not count the copies of a refused command as drops", () => {
    const ledger = new DeliveryLedger();
    ledger.expect("PLAY x", [1, 2, 3], 0);
    ledger.refuse("PLAY x");
    ledger.settleAll();
    expect(ledger.counts).toMatchObject({ refused: 3, dropped: 0 });
    expect(balanced(ledger)).toBe(true);
  });

  it("tells a duplicate from a copy nobody waited for", () => {
    const ledger = new DeliveryLedger();
    ledger.expect("k", [1, 2], 0);
    ledger.deliver("k", 1, 1);
    expect(ledger.deliver("k", 1, 2)).toEqual({ outcome: "duplicate" });
    expect(ledger.deliver("k", 9, 2)).toEqual({ outcome: "unexpected" });
    expect(ledger.deliver("other", 1, 2)).toEqual({ outcome: "unexpected" });
    expect(ledger.counts).toMatchObject({ duplicates: 1, unexpected: 2, delivered: 1 });
  });

  it("settles an open key that is registered again before registering it anew", () => {
    const ledger = new DeliveryLedger();
    ledger.expect("k", [1], 0);
    ledger.expect("k", [1, 2], 10);
    expect(ledger.counts).toMatchObject({ expected: 3, dropped: 1 });
    ledger.deliver("k", 1, 11);
    ledger.deliver("k", 2, 11);
    expect(balanced(ledger)).toBe(true);
  });

  it("keeps nothing open for an item with no recipients", () => {
    const ledger = new DeliveryLedger();
    ledger.expect("empty", [], 0);
    expect(ledger.outstanding).toBe(0);
  });
});
