import { describe, expect, it } from "vitest";
import { ServerClock } from "./server-clock.js";

describe("ServerClock", () => {
  it("keeps the offset of the round trip with the least delay", () => {
    let local = 1_000;
    const clock = new ServerClock(() => local);
    clock.observe(0, 520, 521, 40);
    expect(clock.offsetMs).toBeCloseTo(500.5);
    clock.observe(100, 600.5, 600.5, 102);
    expect(clock.offsetMs).toBeCloseTo(499.5);
    clock.observe(200, 900, 900, 250);
    expect(clock.offsetMs).toBeCloseTo(499.5);
    local = 2_000;
    expect(clock.serverMs()).toBeCloseTo(2_499.5);
  });
});
