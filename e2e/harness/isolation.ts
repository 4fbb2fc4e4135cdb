import type { ScriptedPage } from "./scripted-page.js";

/** What cross-origin isolation gives a page: the flag, and the step `performance.now()` ticks in. */
export interface IsolationReport {
  isolated: boolean;
  /** The smallest step between successive `performance.now()` readings over 50 ms (ms). */
  timerStepMs: number;
}

export function readIsolation(page: ScriptedPage): Promise<IsolationReport> {
  return page.evaluate(() => {
    let step = Number.POSITIVE_INFINITY;
    let last = performance.now();
    const end = last + 50;
    while (last < end) {
      const now = performance.now();
      if (now > last) step = Math.min(step, now - last);
      last = now;
    }
    return { isolated: crossOriginIsolated, timerStepMs: step };
  });
}
