/**
 * Installs the measuring page's simulated microphone (`microphone-init.ts` with
 * `microphone-worklet.ts` inlined, bundled as the tap is) and pushes samples to it.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { bundleForBrowser } from "../sync/browser-bundle.js";
// The page-side globals the pushes call (`window.__fakeMicrophone`), for the type checker only.
import type {} from "./microphone-init.js";

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Installs the simulated microphone on every page `context` opens from now on; its track reports
 * `reportedLatencyMs` as its input latency.
 */
export async function installFakeMicrophone(context: BrowserContext, reportedLatencyMs: number): Promise<void> {
  const [workletJs, initJs] = await Promise.all([
    bundleForBrowser(join(here, "microphone-worklet.ts"), "esm"),
    bundleForBrowser(join(here, "microphone-init.ts"), "iife"),
  ]);
  await context.addInitScript(`window.__MICROPHONE_WORKLET__ = ${JSON.stringify(workletJs)};\nwindow.__MICROPHONE_LATENCY_S__ = ${reportedLatencyMs / 1000};\n${initJs}`);
}

/** Pushes microphone samples to `page` from context frame `from`. */
export function pushMicrophone(page: Page, from: number, samples: Float32Array): Promise<{ open: boolean; frame: number | null }> {
  const base64 = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength).toString("base64");
  return page.evaluate(({ from, base64 }) => window.__fakeMicrophone.push(from, base64), { from, base64 });
}
