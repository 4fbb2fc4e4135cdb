/**
 * `npm run bench:media`: streaming playback and uploads of real sizes, measured (issue 13).
 *
 * - the real API as a child process; a 3-minute float32 timecode WAV and a 60-minute 16-bit WAV
 *   (~318 MB) generated into a temp dir and uploaded streamed, the API's RSS sampled meanwhile;
 * - headless Chromium and Firefox ESR pages (media-browser.ts) running the engine's Web Audio
 *   output on a throttled link (4 Mbit/s, 50 ms): Chromium's CDP emulation, or the throttle proxy
 *   (throttle-proxy.ts) in front of the API and the file host, the only throttle Firefox has;
 *   the rendered output read by the tap of bench/sync (`tap-init.ts`, `tap-worklet.ts`);
 * - per browser (wav-rows.ts): PLAY → first rendered sample (speaker time), a late join,
 *   chunk-boundary discontinuities, the page's memory over 10 tracks in a row (60-min WAV, MP3
 *   VBR and M4A); and the formats' rows (format-bench.ts): 3-minute pulse tracks in MP3 CBR/VBR,
 *   AAC (M4A, ADTS), Opus and FLAC, 60-minute ones (`--long all`: every format), their start,
 *   late join and alignment against the WAV; a 60-minute MP3 joined at 59:00 played to its end.
 *
 *   npx tsx bench/media/run.ts [--engines chromium,firefox] [--chromium-link cdp|proxy|cdp,proxy]
 *     [--play-s 20] [--long streamed|mp3|all|none|ID,…] [--chromium /usr/bin/chromium]
 *     [--cache DIR] [--prepare] [--skip-baseline] [--formats ID,…|none] [--rows wav,formats,memory]
 *
 * `--engines` defaults to both when Firefox ESR and a PulseAudio server are there (else Chromium,
 * with the reason printed). `--chromium-link cdp,proxy` measures Chromium on both throttles, to
 * check the proxy against CDP. `--cache DIR` keeps the generated and encoded tracks in DIR between
 * runs (a 60-minute encode takes minutes); `--prepare` only writes them there and exits, so a run
 * under the benchmark lock spends its time measuring. `--formats aac-m4a --long aac-m4a` measures
 * only those formats' rows (the WAV reference included; no upload, WAV or memory rows); `--rows`
 * splits a run into parts that each fit one hold of the benchmark lock.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { chooseEngines } from "../sync/engine-choice.js";
import { firefoxAvailability } from "../sync/firefox.js";
import { signUp, startApi, upload, type ApiChild } from "./api.js";
import { prepareFormatTracks, runFormatBench } from "./format-bench.js";
import { encodeOnce, FORMATS } from "./formats.js";
import { launchChromiumMedia, launchFirefoxMedia, type LinkKind, type MediaBrowser } from "./media-browser.js";
import { startPageHost, type PageHost } from "./page-host.js";
import { createReport, type Row } from "./report.js";
import { startThrottleProxy, createThrottleLink, type ThrottleProxy } from "./throttle-proxy.js";
import { writeTrackOnce } from "./tracks.js";
import { mb, tenTracks, wavRows } from "./wav-rows.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const { values: args } = parseArgs({
  options: {
    "play-s": { type: "string", default: "20" },
    chromium: { type: "string", default: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
    engines: { type: "string" },
    "chromium-link": { type: "string", default: "cdp" },
    /** 60-minute compressed tracks: "streamed" (the formats streamed by range), "mp3", "all" or "none". */
    long: { type: "string", default: "streamed" },
    /** Leave out the whole-file download + decode baseline (65 s on the throttled link). */
    "skip-baseline": { type: "boolean", default: false },
    cache: { type: "string" },
    prepare: { type: "boolean", default: false },
    /** The 3-minute format rows' format ids (comma-separated; e.g. `aac-m4a`; "none": only the 60-minute ones); alone, it means `--rows formats`. */
    formats: { type: "string" },
    /** Which rows: `wav` (uploads, WAV plays, baseline), `formats`, `memory` (10 tracks in a row), comma-separated. */
    rows: { type: "string" },
  },
});
const PLAY_S = Number(args["play-s"]);
const ROWS = new Set((args.rows ?? (args.formats === undefined ? "wav,formats,memory" : "formats")).split(","));
const report = createReport();

/** The WAVs the API rows upload. */
async function writeUploadTracks(dir: string): Promise<{ shortPath: string; shortSize: number; longPath: string; longSize: number }> {
  const shortPath = join(dir, "timecode-3min.wav");
  const longPath = join(dir, "sine-60min.wav");
  return { shortPath, longPath, shortSize: await writeTrackOnce(shortPath, "timecode", 180), longSize: await writeTrackOnce(longPath, "sine", 3600) };
}

/** The uploads (the API's RSS meanwhile); the uploaded tracks' ids. */
async function uploadRows(api: ApiChild, dir: string, pageOrigin: string, row: Row): Promise<{ short: string; long: string }> {
  const { shortPath, shortSize, longPath, longSize } = await writeUploadTracks(dir);
  const headers = await signUp(api, pageOrigin);
  const short = await upload(api, headers, shortPath, shortSize, "timecode-3min.wav");
  const long = await upload(api, headers, longPath, longSize, "sine-60min.wav");
  row(`API RSS, ${mb(longSize)} upload (before → peak)`, `${mb(long.rssBeforeBytes)} → ${mb(long.rssPeakBytes)} (+${mb(long.rssPeakBytes - long.rssBeforeBytes)}, ${long.seconds.toFixed(1)} s)`);
  row(`API RSS, ${mb(shortSize)} upload (before → peak)`, `${mb(short.rssBeforeBytes)} → ${mb(short.rssPeakBytes)}`);
  return { short: short.trackId, long: long.trackId };
}

/** The 60-minute file of format `id` in `dir`, encoded first if the cache lacks it. */
async function longTrack(dir: string, id: string): Promise<string> {
  const wav = join(dir, "pulses-60-min.wav");
  await writeTrackOnce(wav, "pulse", 3600);
  return encodeOnce(FORMATS.find((f) => f.id === id)!, wav, dir, "pulses-60-min");
}

/** Which browsers and links run: Chromium on each `--chromium-link`, Firefox on the proxy. */
type BrowserPlan = { engine: "chromium" | "firefox"; link: LinkKind }[];

function browserPlan(): BrowserPlan {
  const firefox = firefoxAvailability();
  const choice = chooseEngines(args.engines, { chromium: existsSync(args.chromium!) ? { available: true } : { available: false, reason: `no Chromium at ${args.chromium}` }, firefox });
  if ("error" in choice) throw new Error(choice.error);
  if (choice.note) console.log(choice.note);
  const links = args["chromium-link"]!.split(",").map((l) => l.trim());
  if (links.some((l) => l !== "cdp" && l !== "proxy")) throw new Error(`--chromium-link takes cdp, proxy or both; got "${args["chromium-link"]}"`);
  return choice.engines.flatMap((engine): BrowserPlan => (engine === "chromium" ? links.map((link) => ({ engine, link: link as LinkKind })) : [{ engine, link: "proxy" }]));
}

/** Where one browser's pages load from: the host and API themselves (CDP throttles), or their proxies. */
interface Origins {
  readonly host: PageHost;
  readonly hostProxy: ThrottleProxy;
  readonly api: ApiChild | null;
  readonly apiProxy: ThrottleProxy | null;
}

async function launch(engine: "chromium" | "firefox", link: LinkKind, origins: Origins): Promise<MediaBrowser> {
  const origin = link === "proxy" ? origins.hostProxy.origin : origins.host.origin;
  if (engine === "chromium") return launchChromiumMedia(args.chromium!, origin, link);
  const firefox = firefoxAvailability();
  if (!firefox.available) throw new Error(firefox.reason);
  return launchFirefoxMedia(firefox.pulseServer, origin);
}

/** Every row of one browser that `--rows` asks for. */
async function browserRows(browser: MediaBrowser, origins: Origins, dir: string, tracks: { short: string; long: string } | null, formats: readonly string[] | null): Promise<void> {
  const row = report.column(browser.label);
  const { host } = origins;
  const apiOrigin = browser.link === "proxy" ? origins.apiProxy?.origin : origins.api?.url;
  const audio = (id: string) => `${apiOrigin}/api/tracks/${id}/audio`;
  if (tracks && ROWS.has("wav")) await wavRows(browser, host, { timecode3min: audio(tracks.short), sine60min: audio(tracks.long) }, row, PLAY_S, !args["skip-baseline"]);
  if (ROWS.has("formats")) await runFormatBench(browser, host, dir, row, args.long!, formats);
  if (tracks && ROWS.has("memory")) {
    await tenTracks(browser, host, (i) => `${audio(tracks.long)}?n=${i}`, "60-min WAV", row);
    for (const [id, label] of [["mp3-vbr", "60-min MP3 VBR"], ["aac-m4a", "60-min AAC M4A"]] as const) {
      const url = host.fileUrl(await longTrack(dir, id), browser.origin);
      await tenTracks(browser, host, (i) => `${url}?n=${i}`, label, row);
    }
  }
}

async function main(): Promise<void> {
  const cache = args.cache ?? null;
  if (cache) mkdirSync(cache, { recursive: true });
  const dir = cache ?? mkdtempSync(join(tmpdir(), "bench-media-"));
  const formats = args.formats === undefined ? null : args.formats === "none" ? [] : args.formats.split(",");
  if (args.prepare) {
    if (!ROWS.has("formats") || ROWS.size > 1) await writeUploadTracks(dir);
    await prepareFormatTracks(dir, args.long!);
    console.log(`tracks ready in ${dir}`);
    return;
  }
  const plan = browserPlan();
  const dataDir = mkdtempSync(join(tmpdir(), "bench-media-api-"));
  const link = createThrottleLink();
  const host = await startPageHost(dir);
  const hostProxy = await startThrottleProxy(Number(new URL(host.origin).port), link);
  let api: ApiChild | null = null;
  let apiProxy: ThrottleProxy | null = null;
  try {
    let tracks: { short: string; long: string } | null = null;
    if (ROWS.has("wav") || ROWS.has("memory")) {
      api = await startApi(root, dataDir, `${host.origin},${hostProxy.origin}`);
      apiProxy = await startThrottleProxy(Number(new URL(api.url).port), link);
      tracks = await uploadRows(api, dir, host.origin, report.column("API"));
    }
    for (const { engine, link: kind } of plan) {
      const browser = await launch(engine, kind, { host, hostProxy, api, apiProxy });
      try {
        await browserRows(browser, { host, hostProxy, api, apiProxy }, dir, tracks, formats);
      } finally {
        await browser.close();
      }
    }
  } finally {
    apiProxy?.close();
    await api?.close();
    hostProxy.close();
    host.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (!cache) rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\n${report.table()}`);
}

await main();
