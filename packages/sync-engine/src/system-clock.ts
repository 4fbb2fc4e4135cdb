import type { Clock } from "./types.js";

/**
 * The browser clock: `performance.now()` (monotonic, and the time base of
 * `AudioContext.getOutputTimestamp().performanceTime`) with real timers.
 */
export function createSystemClock(): Clock {
  return {
    now: () => performance.now(),
    setTimeout(fn, ms) {
      const id = globalThis.setTimeout(fn, ms);
      return () => globalThis.clearTimeout(id);
    },
    setInterval(fn, ms) {
      const id = globalThis.setInterval(fn, ms);
      return () => globalThis.clearInterval(id);
    },
  };
}
