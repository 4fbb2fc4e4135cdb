import type { BrowserContext, Page } from "playwright-core";
import { buildTapInitScript } from "../../bench/sync/browser-bundle.js";

/**
 * The precision benchmark's tap (`bench/sync/tap-init.ts` + `tap-worklet.ts`, bundled as the
 * benchmark bundles them): every page of the context mirrors what reaches its AudioContext's
 * `destination` into a worklet that records the rendered timecode samples. The room page's CSP
 * would refuse the worklet's blob: module, so the context is made with `bypassCSP`.
 */

/** Installs the tap on every page `context` opens from now on (wall clock unshifted). */
export async function installTap(context: BrowserContext): Promise<void> {
  const initScriptFor = await buildTapInitScript();
  await context.addInitScript(initScriptFor(0));
}

/** What the tap recorded on `page` so far: `[frame, value, ...]` and the context's sample rate. */
export async function collectTap(page: Page): Promise<{ records: number[]; sampleRate: number } | null> {
  return page.evaluate(async () => {
    const tap = (window as unknown as { __benchTap?: { collect(): Promise<{ records: number[]; sampleRate: number } | null> } }).__benchTap;
    const data = tap ? await tap.collect() : null;
    return data ? { records: Array.from(data.records), sampleRate: data.sampleRate } : null;
  });
}
