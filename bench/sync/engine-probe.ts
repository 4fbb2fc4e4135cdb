/**
 * A probe of the engine's Web Audio output in one page of one engine (issue 14): the output alone
 * plays the timecode (whole, or streamed by HTTP range with `--range`), optionally nudged like the
 * drift controller does, while the bench tap records what renders. Prints every node start, every
 * silent stretch after the first sound with the node starts around it, the speaker fit's steps,
 * and how many 5 ms samples the benchmark would miss (tap silence or gaps between mapped records).
 *
 *   npx tsx bench/sync/engine-probe.ts [--browser firefox|chromium] [--range] [--nudge-ms 250]
 *     [--nudge-ppm 5000] [--play-s 12]
 */
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildTapInitScript, bundleForBrowser } from "./browser-bundle.js";
import { launchChromiumBench, launchFirefoxBench, type BenchBrowser } from "./engines.js";
import { firefoxAvailability } from "./firefox.js";
import type { ProbeEvent, ProbePlan } from "./engine-probe-page.js";
import { positionAt, renderedTrack } from "./analysis.js";
import { evalFit } from "./fit.js";
import { renderTimecodeWav } from "./timecode.js";
import { listenLoopback } from "./time.js";
import type { TapData } from "./tap-init.js";

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    browser: { type: "string", default: "firefox" },
    range: { type: "boolean", default: false },
    "nudge-ms": { type: "string", default: "250" },
    "nudge-ppm": { type: "string", default: "5000" },
    "play-s": { type: "string", default: "12" },
    chromium: { type: "string", default: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
  },
});

/** Silent stretches `[fromFrame, toFrame)` after the first sound, from the tap's records. */
export function silentRuns(records: readonly number[]): { from: number; to: number }[] {
  const runs: { from: number; to: number }[] = [];
  let sounded = false;
  let silentFrom: number | null = null;
  for (let i = 0; i < records.length; i += 2) {
    const frame = records[i]!;
    const silent = Number.isNaN(records[i + 1]!);
    if (!silent) {
      if (silentFrom !== null && sounded) runs.push({ from: silentFrom, to: frame });
      silentFrom = null;
      sounded = true;
    } else if (silentFrom === null) silentFrom = frame;
  }
  return runs;
}

/**
 * What the benchmark would count as silent 5 ms samples (its "missing"): grid instants between the
 * first sound and the stop where `positionAt` gives nothing, split into tap silence and gaps the
 * speaker fit's steps leave between mapped records; and every step between fit segments.
 */
function reportMapping(tap: TapData, stopContextS: number): void {
  const track = renderedTrack(tap, 0);
  if (!track) return console.log("no speaker fit");
  const segments = track.segments;
  for (let s = 1; s < segments.length; s += 1) {
    const x = segments[s]!.fromX;
    console.log(`fit step at context ${x.toFixed(3)} s: ${(evalFit(segments[s]!.fit, x) - evalFit(segments[s - 1]!.fit, x)).toFixed(1)} ms`);
  }
  const first = track.positionMs.findIndex((p) => !Number.isNaN(p));
  const stopIndex = (track.contextMs ?? new Float64Array()).findIndex((c) => c >= stopContextS * 1000 - 100);
  const from = track.atMs[first]!;
  const to = track.atMs[stopIndex < 0 ? track.atMs.length - 1 : stopIndex]!;
  let grid = 0;
  let silent = 0;
  let gaps = 0;
  for (let t = from; t < to; t += 5, grid += 1) {
    if (positionAt(track, t) !== null) continue;
    let i = 0;
    while (i + 1 < track.atMs.length && track.atMs[i + 1]! <= t) i += 1;
    if (Number.isNaN(track.positionMs[i]!)) silent += 1;
    else gaps += 1;
  }
  const deltas = new Map<number, number>();
  for (let i = 2; i < tap.records.length; i += 2) {
    const d = tap.records[i]! - tap.records[i - 2]!;
    deltas.set(d, (deltas.get(d) ?? 0) + 1);
  }
  console.log(`record frame steps: ${[...deltas].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([d, n]) => `${d}×${n}`).join(" ")}`);
  console.log(`grid ${grid} × 5 ms: ${silent} silent in the tap, ${gaps} in mapping gaps (fit segments ${segments.length}, residual p99 ${track.residualP99Ms.toFixed(1)} ms)`);
}

async function main(): Promise<void> {
  const [pageJs, initScriptFor] = await Promise.all([bundleForBrowser(join(here, "engine-probe-page.ts"), "iife"), buildTapInitScript()]);
  const wav = renderTimecodeWav(30);
  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    const headers = { "cache-control": "no-store", "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };
    if (path === "/") return void response.writeHead(200, { ...headers, "content-type": "text/html" }).end('<!doctype html><script src="/page.js"></script>');
    if (path === "/page.js") return void response.writeHead(200, { ...headers, "content-type": "text/javascript" }).end(pageJs);
    if (path !== "/timecode.wav") return void response.writeHead(404).end();
    const range = values.range ? /bytes=(\d+)-(\d*)/.exec(request.headers.range ?? "") : null;
    if (!range) return void response.writeHead(200, { ...headers, "content-type": "audio/wav" }).end(wav);
    const start = Number(range[1]);
    const end = Math.min(wav.length - 1, range[2] ? Number(range[2]) : wav.length - 1);
    response.writeHead(206, { ...headers, "content-type": "audio/wav", "content-range": `bytes ${start}-${end}/${wav.length}` });
    response.end(wav.subarray(start, end + 1));
  });
  const port = await listenLoopback(server);
  let browser: BenchBrowser;
  if (values.browser === "firefox") {
    const firefox = firefoxAvailability();
    if (!firefox.available) throw new Error(firefox.reason);
    browser = await launchFirefoxBench(firefox.pulseServer);
  } else browser = await launchChromiumBench(values.chromium!, false);
  try {
    const page = await browser.openPage(`http://localhost:${port}/`, initScriptFor(0), (line) => console.log(`[page] ${line}`));
    const plan: ProbePlan = { url: "/timecode.wav", playS: Number(values["play-s"]), nudgeMs: Number(values["nudge-ms"]), nudgePpm: Number(values["nudge-ppm"]) };
    const result = await page.evaluate(
      (p: ProbePlan) => (window as unknown as { probe: { run(p: ProbePlan): Promise<{ events: ProbeEvent[]; sampleRate: number; baseLatency: number; outputLatency: number }> } }).probe.run(p),
      plan,
    );
    const tap = (await page.evaluate(() => window.__benchTap.collect())) as TapData;
    const rate = result.sampleRate;
    const starts = result.events.filter((e) => e.kind === "start");
    for (const e of starts) console.log(`start when=${e.args[0]?.toFixed(4)} offset=${(e.args[1] ?? 0).toFixed(4)} at currentTime=${e.currentTime.toFixed(4)} (ahead ${(((e.args[0] ?? 0) - e.currentTime) * 1000).toFixed(1)} ms)`);
    const lastStop = result.events.filter((e) => e.kind === "stop").at(-1)?.currentTime ?? Infinity;
    const runs = silentRuns(tap.records).filter((r) => r.from / rate < lastStop - 0.1);
    let silentMs = 0;
    for (const r of runs) {
      const ms = ((r.to - r.from) / rate) * 1000;
      silentMs += ms;
      const near = starts.filter((e) => Math.abs((e.args[0] ?? 0) - r.from / rate) < 0.3).map((e) => `${(e.args[0] ?? 0).toFixed(3)}@${e.currentTime.toFixed(3)}`);
      console.log(`silent ${(r.from / rate).toFixed(4)}–${(r.to / rate).toFixed(4)} s (${ms.toFixed(1)} ms) starts near: ${near.join(" ") || "none"}`);
    }
    const rates = result.events.filter((e) => e.kind === "rate").length;
    // The unlock's one-frame buffer starts at 0 (at once): only the track's nodes count here.
    const aheadMs = starts.filter((e) => (e.args[0] ?? 0) > 0).map((e) => ((e.args[0] ?? 0) - e.currentTime) * 1000);
    console.log(
      `${values.browser} range=${values.range} nudges=${rates}: ${runs.length} silent runs, ${silentMs.toFixed(0)} ms silent; node starts ${starts.length}, made at least ${Math.min(...aheadMs).toFixed(0)} ms before their start; outputLatency ${result.outputLatency} baseLatency ${result.baseLatency}`,
    );
    reportMapping(tap, lastStop);
    await page.close();
  } finally {
    await browser.close();
    server.close();
  }
}

await main();
