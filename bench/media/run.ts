/**
 * `npm run bench:media`: streaming playback and uploads of real sizes, measured (issue 13).
 *
 * - the real API as a child process; a 3-minute float32 timecode WAV and a 60-minute 16-bit WAV
 *   (~318 MB) generated into a temp dir and uploaded streamed, the API's RSS sampled meanwhile;
 * - headless Chromium pages running the engine's Web Audio output, the link throttled with CDP
 *   (`Network.emulateNetworkConditions`: 4 Mbit/s, 50 ms), the rendered output read by the tap of
 *   bench/sync (`tap-init.ts`, `tap-worklet.ts`);
 * - PLAY → first rendered sample (speaker time), a late join (start mid-track: rendered position
 *   against the schedule), chunk-boundary discontinuities over a stretch of playback, the
 *   renderer's memory over 10 tracks in a row; the load average beside every figure.
 *
 * - compressed formats (format-bench.ts): 3-minute pulse tracks in MP3 CBR/VBR, AAC (M4A, ADTS),
 *   Opus and FLAC made by ffmpeg/lame, and 60-minute tracks of the streamed ones (`--long all`:
 *   every format), their start, late join and alignment against the WAV in the rendered output;
 *   a 60-minute MP3 joined at 59:00 and played to its end.
 *
 *   npx tsx bench/media/run.ts [--play-s 20] [--long streamed|mp3|all|none|ID,…] [--chromium /usr/bin/chromium]
 *     [--cache DIR] [--prepare] [--skip-baseline] [--formats ID,…]
 *
 * `--cache DIR` keeps the generated and encoded tracks in DIR between runs (a 60-minute encode
 * takes minutes); `--prepare` only writes them there and exits, so a run under the benchmark lock
 * spends its time measuring. `--formats aac-m4a --long aac-m4a` measures only those formats' rows
 * (the WAV reference included).
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Browser } from "playwright-core";
import { launchBrowser } from "../sync/browser.js";
import { sleep } from "../sync/time.js";
import type { TapData } from "../sync/tap-init.js";
import { readTap, wrappedDelta } from "./analysis.js";
import { signUp, startApi, upload } from "./api.js";
import { prepareFormatTracks, runFormatBench } from "./format-bench.js";
import { openPage, startPageHost } from "./page-host.js";
import type { MediaPageApi } from "./page.js";
import { RATE, TIMECODE_WRAP_FRAMES, writeTrackOnce } from "./tracks.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const { values: args } = parseArgs({
  options: {
    "play-s": { type: "string", default: "20" },
    chromium: { type: "string", default: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
    /** 60-minute compressed tracks: "streamed" (the formats streamed by range), "mp3", "all" or "none". */
    long: { type: "string", default: "streamed" },
    /** Leave out the whole-file download + decode baseline (65 s on the throttled link). */
    "skip-baseline": { type: "boolean", default: false },
    cache: { type: "string" },
    prepare: { type: "boolean", default: false },
    /** Only the format rows, for these format ids (comma-separated; e.g. `aac-m4a`): no upload, WAV or memory runs. */
    formats: { type: "string" },
  },
});
const PLAY_S = Number(args["play-s"]);

const load = () => loadavg()[0]!.toFixed(2);
const rows: string[][] = [];
const row = (figure: string, value: string) => {
  rows.push([figure, value, load()]);
  console.log(`${figure}: ${value} (load ${load()})`);
};

/** The speaker instant (page performance.now ms) of context frame `frame`, from the latest output timestamp. */
function speakerMs(tap: TapData, frame: number): number {
  const n = tap.stamps.length;
  const [contextTime, performanceTime] = [tap.stamps[n - 2]!, tap.stamps[n - 1]!];
  return performanceTime + (frame / tap.sampleRate - contextTime) * 1000;
}

interface PlayFigures {
  readonly firstRenderMs: number | null;
  readonly positionErrorMs: number | null;
  readonly discontinuities: number;
  /** Where they were: seconds after the first rendered frame, and the jump in frames (NaN: a gap). */
  readonly where: string;
  readonly renderedS: number;
}

/** Starts `url` at `offsetMs` on a fresh throttled page, plays `seconds`, reads the tap. */
async function play(browser: Browser, origin: string, initScript: string, url: string, offsetMs: number, seconds: number, timecode: boolean): Promise<PlayFigures> {
  const page = await openPage(browser, origin, initScript);
  try {
    const started = await page.evaluate(([u, o]) => window.media.start(u, o), [url, offsetMs] as const);
    await sleep(seconds * 1000);
    const tap = (await page.evaluate(() => window.__benchTap.collect()))!;
    const reading = readTap(tap.records, TIMECODE_WRAP_FRAMES);
    if (reading.firstFrame === null) return { firstRenderMs: null, positionErrorMs: null, discontinuities: 0, where: "", renderedS: 0 };
    // Where the schedule says the track is at the settled frame (context time, rate 1).
    const settled = reading.settled;
    const expectedFrame = settled ? ((offsetMs / 1000 + (settled.frame / tap.sampleRate - started.when)) * RATE) % TIMECODE_WRAP_FRAMES : 0;
    return {
      firstRenderMs: speakerMs(tap, reading.firstFrame) - started.calledAtMs,
      positionErrorMs: timecode && settled ? (wrappedDelta(settled.timecode, expectedFrame, TIMECODE_WRAP_FRAMES) / RATE) * 1000 : null,
      discontinuities: timecode ? reading.discontinuities : 0,
      where: reading.firstDiscontinuities.map((d) => `${((d.frame - reading.firstFrame!) / tap.sampleRate).toFixed(2)} s: ${d.jump.toFixed(1)}`).join(", "),
      renderedS: reading.renderedFrames / tap.sampleRate,
    };
  } finally {
    await page.context().close();
  }
}

/** Resident memory of every renderer process of `browser`, bytes (CDP SystemInfo + /proc). */
async function rendererRss(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = (await cdp.send("SystemInfo.getProcessInfo")) as { processInfo: { type: string; id: number }[] };
  await cdp.detach();
  const { readFileSync } = await import("node:fs");
  let total = 0;
  for (const info of processInfo.filter((p) => p.type === "renderer")) {
    const status = readFileSync(`/proc/${info.id}/status`, "utf8");
    total += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  }
  return total;
}

/**
 * Ten tracks in a row on a fresh page (distinct URLs, so nothing is reused), 4 s each, from
 * 10:00; the renderers' RSS after each, read after a forced garbage collection (what is still
 * held, not what the collector has yet to free). The page has the sparse raw capture (bounded):
 * the timecode tap keeps a record per sample of anything but a timecode, ~3 MB a track.
 */
async function tenTracks(browser: Browser, origin: string, initScript: string, urlOf: (i: number) => string, label: string): Promise<void> {
  const page = await openPage(browser, origin, initScript);
  const cdp = await page.context().newCDPSession(page);
  const memory: number[] = [];
  for (let i = 0; i < 10; i++) {
    await page.evaluate(([u]) => window.media.start(u, 600_000), [urlOf(i)] as const);
    await sleep(4000);
    await cdp.send("HeapProfiler.collectGarbage");
    memory.push(await rendererRss(browser));
  }
  await page.evaluate(() => window.media.stop());
  await page.context().close();
  const each = memory.map((bytes) => (bytes / 1024 / 1024).toFixed(0)).join(", ");
  row(`renderer RSS over 10 ${label} tracks in a row, after a GC (1st → 10th)`, `${mb(memory[0]!)} → ${mb(memory.at(-1)!)} (each, MB: ${each})`);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (value: number | null) => (value === null ? "none" : `${value.toFixed(1)} ms`);

/** The WAVs the API rows upload. */
async function writeUploadTracks(dir: string): Promise<{ shortPath: string; shortSize: number; longPath: string; longSize: number }> {
  const shortPath = join(dir, "timecode-3min.wav");
  const longPath = join(dir, "sine-60min.wav");
  return { shortPath, longPath, shortSize: await writeTrackOnce(shortPath, "timecode", 180), longSize: await writeTrackOnce(longPath, "sine", 3600) };
}

async function main(): Promise<void> {
  const cache = args.cache ?? null;
  if (cache) mkdirSync(cache, { recursive: true });
  const dir = cache ?? mkdtempSync(join(tmpdir(), "bench-media-"));
  if (args.prepare) {
    if (!args.formats) await writeUploadTracks(dir);
    await prepareFormatTracks(dir, args.long!);
    console.log(`tracks ready in ${dir}`);
    return;
  }
  if (args.formats) {
    await formatsOnly(dir, args.formats.split(","), args.long!);
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), "bench-media-api-"));
  const pages = await startPageHost(dir);
  const api = await startApi(root, dataDir, pages.origin);
  let browser: Browser | null = null;
  try {
    const { shortPath, shortSize, longPath, longSize } = await writeUploadTracks(dir);
    const headers = await signUp(api, pages.origin);
    const short = await upload(api, headers, shortPath, shortSize, "timecode-3min.wav");
    const long = await upload(api, headers, longPath, longSize, "sine-60min.wav");
    row(`API RSS, ${mb(longSize)} upload (before → peak)`, `${mb(long.rssBeforeBytes)} → ${mb(long.rssPeakBytes)} (+${mb(long.rssPeakBytes - long.rssBeforeBytes)}, ${long.seconds.toFixed(1)} s)`);
    row(`API RSS, ${mb(shortSize)} upload (before → peak)`, `${mb(short.rssBeforeBytes)} → ${mb(short.rssPeakBytes)}`);
    const audio = (id: string) => `${api.url}/api/tracks/${id}/audio`;

    browser = await launchBrowser(args.chromium);
    const shortStart = await play(browser, pages.origin, pages.timecodeTap, audio(short.trackId), 0, PLAY_S, true);
    row("3-min WAV, PLAY → first rendered sample (4 Mbit/s, 50 ms)", ms(shortStart.firstRenderMs));
    row(`3-min WAV, rendered position vs schedule at start`, ms(shortStart.positionErrorMs));
    row(`3-min WAV, discontinuities in ${shortStart.renderedS.toFixed(1)} s rendered (chunk boundaries)`, `${shortStart.discontinuities} ${shortStart.where ? `(${shortStart.where})` : ""}`);
    const shortLate = await play(browser, pages.origin, pages.timecodeTap, audio(short.trackId), 150_000, 8, true);
    row("3-min WAV, late join at 2:30 → first rendered sample", ms(shortLate.firstRenderMs));
    row("3-min WAV, late join: rendered position vs schedule", ms(shortLate.positionErrorMs));
    row("3-min WAV, late join: discontinuities", `${shortLate.discontinuities} ${shortLate.where ? `(${shortLate.where})` : ""}`);
    const longStart = await play(browser, pages.origin, pages.timecodeTap, audio(long.trackId), 0, 5, false);
    row("60-min WAV, PLAY → first rendered sample", ms(longStart.firstRenderMs));
    const longLate = await play(browser, pages.origin, pages.timecodeTap, audio(long.trackId), 45 * 60_000, 5, false);
    row("60-min WAV, late join at 45:00 → first rendered sample", ms(longLate.firstRenderMs));

    if (!args["skip-baseline"]) {
      // Baseline, same run and link: the whole-file download and decode the engine used to do.
      const page = await openPage(browser, pages.origin, pages.timecodeTap);
      const wholeMs = await page.evaluate(([u]) => window.media.wholeDecodeMs(u, 90_000), [audio(short.trackId)] as const);
      row("baseline: 3-min WAV whole download + decodeAudioData", wholeMs === null ? "> 90 s" : `${(wholeMs / 1000).toFixed(1)} s (ratio to streamed start ${shortStart.firstRenderMs ? (wholeMs / shortStart.firstRenderMs).toFixed(0) : "?"}×)`);
      await page.context().close();
    }

    await tenTracks(browser, pages.origin, pages.rawCapture, (i) => `${audio(long.trackId)}?n=${i}`, "60-min WAV");
    const longFiles = await runFormatBench(browser, pages, dir, row, args.long!);
    const longMp3 = longFiles.get("mp3-vbr");
    if (longMp3) await tenTracks(browser, pages.origin, pages.rawCapture, (i) => `${longMp3}?n=${i}`, "60-min MP3 VBR");
  } finally {
    await browser?.close();
    await api.close();
    pages.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (!cache) rmSync(dir, { recursive: true, force: true });
  }
  printTable();
}

function printTable(): void {
  console.log("\n| figure | value | load (1 min) |\n|---|---|---|");
  for (const [figure, value, l] of rows) console.log(`| ${figure} | ${value} | ${l} |`);
}

/** `--formats`: the format rows alone, 3-minute tracks of `ids` and the 60-minute ones `long` picks. */
async function formatsOnly(dir: string, ids: readonly string[], long: string): Promise<void> {
  const pages = await startPageHost(dir);
  const browser = await launchBrowser(args.chromium);
  try {
    await runFormatBench(browser, pages, dir, row, long, ids);
  } finally {
    await browser.close();
    pages.close();
  }
  printTable();
}

await main();
