import { join } from "node:path";
import { build } from "esbuild";
import type { BrowserContext, Page } from "playwright-core";
import { REPO_ROOT } from "./paths.js";

/**
 * The precision benchmark's tap (`bench/sync/tap-init.ts` + `tap-worklet.ts`, bundled as the
 * benchmark bundles them): every page of the context mirrors what reaches its AudioContext's
 * `destination` into a worklet that records the rendered timecode samples. The room page's CSP
 * would refuse the worklet's blob: module, so the context is made with `bypassCSP`.
 */
async function bundle(entry: string, format: "iife" | "esm"): Promise<string> {
  const result = await build({
    entryPoints: [join(REPO_ROOT, "bench/sync", entry)],
    bundle: true,
    write: false,
    format,
    platform: "browser",
    target: "chrome120",
    logLevel: "silent",
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced nothing for ${entry}`);
  return file.text;
}

/** Installs the tap on every page `context` opens from now on (wall clock unshifted). */
export async function installTap(context: BrowserContext): Promise<void> {
  const [worklet, init] = await Promise.all([bundle("tap-worklet.ts", "esm"), bundle("tap-init.ts", "iife")]);
  await context.addInitScript(`window.__BENCH_CONFIG__ = ${JSON.stringify({ shiftMs: 0, workletSource: worklet })};\n${init}`);
}

/** What the tap recorded on `page` so far: `[frame, value, ...]` and the context's sample rate. */
export async function collectTap(page: Page): Promise<{ records: number[]; sampleRate: number } | null> {
  return page.evaluate(async () => {
    const tap = (window as unknown as { __benchTap?: { collect(): Promise<{ records: number[]; sampleRate: number } | null> } }).__benchTap;
    const data = tap ? await tap.collect() : null;
    return data ? { records: Array.from(data.records), sampleRate: data.sampleRate } : null;
  });
}
