/**
 * Cross-origin isolation and timer step of a page in either engine: bench:sync prints it per
 * engine, the browser suite checks it on the app's pages (issue 14).
 */

/** What the probe needs of a page: Playwright's and puppeteer's pages both fit. */
export interface ScriptedPage {
  evaluate<R>(fn: () => R | Promise<R>): Promise<R>;
}

/** What cross-origin isolation gives a page: the flag, and the step `performance.now()` ticks in. */
export interface IsolationReport {
  isolated: boolean;
  /** The smallest step between successive `performance.now()` readings over 50 ms (ms). */
  timerStepMs: number;
}

/** Reads {@link IsolationReport} in `page` (a benchmark page, or an e2e page of either engine). */
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
