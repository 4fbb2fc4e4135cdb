/**
 * In-memory esbuild bundles for the browser, and the rendered-output tap's init script built from
 * them. Shared by bench:sync, bench:media and the e2e suite, which all install the same tap.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));

/** Bundles the browser entry at `entryPath` (absolute) into one script of `format`. */
export async function bundleForBrowser(entryPath: string, format: "iife" | "esm"): Promise<string> {
  const result = await build({
    entryPoints: [entryPath],
    bundle: true,
    write: false,
    format,
    platform: "browser",
    target: "chrome120",
    logLevel: "silent",
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced nothing for ${entryPath}`);
  return file.text;
}

/** Room mode's extras (tap-init.ts): clock rate skew, and the sync socket sent to a per-page proxy. */
export interface TapExtras {
  readonly skewPpm?: number;
  readonly syncRewrite?: { readonly port: number; readonly storageKey: string };
}

/** The init script for a page whose wall clock is shifted by `shiftMs`. */
export type InitScriptFor = (shiftMs: number, extras?: TapExtras) => string;

/**
 * Bundles the tap (tap-init.ts with tap-worklet.ts inlined) once; returns its init script per
 * clock shift. `workletPath` swaps in another processor registered as "timecode-tap" (bench/media
 * captures raw samples with one).
 */
export async function buildTapInitScript(workletPath = join(here, "tap-worklet.ts")): Promise<InitScriptFor> {
  const [workletJs, initJs] = await Promise.all([
    bundleForBrowser(workletPath, "esm"),
    bundleForBrowser(join(here, "tap-init.ts"), "iife"),
  ]);
  return (shiftMs, extras = {}) => `window.__BENCH_CONFIG__ = ${JSON.stringify({ shiftMs, workletSource: workletJs, ...extras })};\n${initJs}`;
}
