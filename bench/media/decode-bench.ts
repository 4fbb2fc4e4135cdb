/**
 * `npm run bench:decode`: each streamed format's span decode, WebCodecs `AudioDecoder` against
 * the `decodeAudioData` fallback (a page where `AudioDecoder` is deleted before the engine
 * loads), in Chromium and Firefox ESR. Per span: wall ms (decode call → cut chunk) and
 * main-thread ms in the engine's own calls, from the engine's `trackDecoding` figures, over a
 * 3-minute pulse track played from the start on an open link; then, in Chromium, PLAY → first
 * rendered sample on the throttled link (4 Mbit/s, 50 ms) with each decoder.
 *
 *   npm run bench:decode -- --cache DIR [--formats mp3-cbr,aac-m4a,opus,flac] [--play-s 12]
 *
 * Tracks come from `bench:media --cache DIR --prepare` (made here when missing). Firefox rows are
 * skipped, with the reason printed, without Firefox or PulseAudio.
 */
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { DecodeStats } from "@sync-beats/sync-engine";
import { launchBrowser } from "../sync/browser.js";
import { firefoxAvailability } from "../sync/firefox.js";
import { encodeOnce, FORMATS, playPulses, WITHOUT_WEBCODECS } from "./formats.js";
import { chromiumMediaBrowser, launchFirefoxMedia } from "./media-browser.js";
import { startPageHost, type PageHost } from "./page-host.js";
import type {} from "../sync/tap-init.js";
import { RATE, writeTrackOnce } from "./tracks.js";

const { values: args } = parseArgs({
  options: {
    cache: { type: "string" },
    formats: { type: "string", default: "mp3-cbr,aac-m4a,opus,flac" },
    "play-s": { type: "string", default: "12" },
  },
});
const PLAY_S = Number(args["play-s"]);
/** PLAY → first sample is read from this much play on the throttled link. */
const FIRST_SAMPLE_PLAY_S = 4;
const MODES = [
  { name: "webcodecs", initScript: "" },
  { name: "decodeAudioData", initScript: WITHOUT_WEBCODECS },
] as const;

/** The pulse track's rate, but Opus, which always decodes at 48 kHz. */
const rateOf = (formatId: string) => (formatId === "opus" ? 48_000 : RATE);
const load = () => loadavg()[0]!.toFixed(2);
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor((sorted.length - 1) / 2)]!;
};
const sum = (values: readonly number[]) => values.reduce((total, v) => total + v, 0);

/** One table row from a track's decode figures (the first span, the 0.5 s start piece, counted apart). */
function row(engine: string, format: string, mode: string, stats: DecodeStats | null, sampleRate: number): string {
  if (!stats) return `| ${engine} | ${format} | ${mode} | no span decoder | | | | ${load()} |`;
  const later = { wall: stats.wallMs.slice(1), busy: stats.busyMs.slice(1) };
  const audioS = sum(stats.frames) / sampleRate;
  return `| ${engine} | ${format} | ${stats.decoder}${stats.decoder === mode ? "" : ` (asked ${mode})`} | ${stats.spans} spans, ${audioS.toFixed(1)} s | ${stats.wallMs[0]!.toFixed(1)} / ${stats.busyMs[0]!.toFixed(1)} ms | ${median(later.wall).toFixed(1)} / ${median(later.busy).toFixed(1)} ms | ${(sum(stats.busyMs) / audioS).toFixed(2)} / ${(sum(stats.wallMs) / audioS).toFixed(1)} ms | ${load()} |`;
}

async function main(): Promise<void> {
  const dir = args.cache ?? (() => {
    throw new Error("--cache DIR is required (bench:media --cache DIR --prepare makes the tracks)");
  })();
  const wav = join(dir, "pulses-3-min.wav");
  await writeTrackOnce(wav, "pulse", 180);
  const formats = FORMATS.filter((f) => args.formats!.split(",").includes(f.id));
  const files = formats.map((f) => ({ format: f, file: encodeOnce(f, wav, dir, "pulses-3-min") }));
  const host: PageHost = await startPageHost(dir);
  const lines: string[] = [];
  const firstSample: string[] = [];
  try {
    const chromium = await launchBrowser(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium");
    try {
      const [open, throttledLink] = [chromiumMediaBrowser(chromium, host.origin, "none"), chromiumMediaBrowser(chromium, host.origin, "cdp")];
      for (const { format, file } of files) {
        for (const mode of MODES) {
          const played = await playPulses(open, host, `${host.fileUrl(file)}?decoder=${mode.name}`, 0, PLAY_S, 0.05, mode.initScript);
          lines.push(row("Chromium", format.label, mode.name, played.decoding, rateOf(format.id)));
          const throttled = await playPulses(throttledLink, host, `${host.fileUrl(file)}?decoder=${mode.name}&throttled`, 0, FIRST_SAMPLE_PLAY_S, 0.05, mode.initScript);
          firstSample.push(`| ${format.label} | ${mode.name} | ${throttled.firstRenderMs?.toFixed(1) ?? "nothing rendered"} ms | ${throttled.decoding?.decoder ?? "?"} | ${load()} |`);
          console.log(lines.at(-1), "\n", firstSample.at(-1));
        }
      }
    } finally {
      await chromium.close();
    }
    const firefox = firefoxAvailability();
    if (!firefox.available) console.log(`Firefox rows skipped: ${firefox.reason}`);
    else {
      const fox = await launchFirefoxMedia(firefox.pulseServer, host.origin);
      try {
        for (const { format, file } of files) {
          for (const mode of MODES) {
            const played = await playPulses(fox, host, `${host.fileUrl(file)}?decoder=${mode.name}`, 0, PLAY_S, 0.05, mode.initScript);
            lines.push(row("Firefox ESR", format.label, mode.name, played.decoding, rateOf(format.id)));
            console.log(lines.at(-1));
          }
        }
      } finally {
        await fox.close();
      }
    }
  } finally {
    host.close();
  }
  console.log(`\nspan decode, open link, ${PLAY_S} s played from the start (figures: wall / main-thread)`);
  console.log("| engine | format | decoder | decoded | first span (0.5 s) | median later span | per audio second: main-thread / wall | load (1 min) |\n|---|---|---|---|---|---|---|---|");
  for (const line of lines) console.log(line);
  console.log("\nPLAY → first rendered sample, Chromium, 4 Mbit/s + 50 ms\n| format | asked | first sample | decoder that ran | load (1 min) |\n|---|---|---|---|---|");
  for (const line of firstSample) console.log(line);
}

await main();
