import { measureTimerStep } from "./timer-resolution.js";
import type { Clock } from "./types.js";

/**
 * The browser clock: `performance.now()` (monotonic, and the time base of
 * `AudioContext.getOutputTimestamp().performanceTime`) with real timers, and the step it reads in
 * (measured once: it depends on the engine and on whether the page is cross-origin isolated).
 */
export function createSystemClock(): Clock {
  return {
    now: () => performance.now(),
    resolutionMs: measureTimerStep(() => performance.now()),
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
