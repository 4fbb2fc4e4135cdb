import { afterEach, describe, expect, it, vi } from "vitest";
import { createSystemClock } from "./system-clock.js";

describe("createSystemClock", () => {
  afterEach(() => vi.useRealTimers());

  it("runs timers and cancels them through their disposers", () => {
    vi.useFakeTimers();
    const clock = createSystemClock();
    const fired: string[] = [];
    const cancelTimeout = clock.setTimeout(() => fired.push("cancelled"), 10);
    clock.setTimeout(() => fired.push("timeout"), 10);
    const stopInterval = clock.setInterval(() => fired.push("tick"), 4);
    cancelTimeout();
    vi.advanceTimersByTime(9);
    stopInterval();
    vi.advanceTimersByTime(20);
    expect(fired).toEqual(["tick", "tick", "timeout"]);
  });
});
