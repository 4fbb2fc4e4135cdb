/**
 * The compressed formats of bench:media and e2e/media-formats: each encoded from the pulse WAV by
 * Debian's ffmpeg or lame, then played through the engine's Web Audio output in a browser (media-browser.ts) and read
 * back by the raw capture, to measure its alignment with the WAV (pulses.ts, alignment.ts).
 */
import { execFileSync } from "node:child_process";
import { existsSync, renameSync } from "node:fs";
import { join } from "node:path";
import type { DecodeStats } from "@sync-beats/sync-engine";
import { sleep } from "../sync/time.js";
import { alignmentOf, type Alignment } from "./alignment.js";
import { speakerMs } from "./analysis.js";
import { retriedOnce, type MediaBrowser } from "./media-browser.js";
import type { PageHost } from "./page-host.js";
import type {} from "../sync/tap-init.js";

/** One encoding of the pulse WAV. */
export interface Format {
  readonly id: string;
  readonly label: string;
  readonly extension: string;
  /** The tool and its arguments, from `input` to `output`. */
  command(input: string, output: string): [string, string[]];
}

const ffmpeg = (codecArgs: string[]) => (input: string, output: string): [string, string[]] => ["ffmpeg", ["-loglevel", "error", "-y", "-i", input, ...codecArgs, output]];

export const FORMATS: readonly Format[] = [
  { id: "mp3-cbr", label: "MP3 128k CBR (ffmpeg libmp3lame)", extension: "mp3", command: ffmpeg(["-c:a", "libmp3lame", "-b:a", "128k"]) },
  { id: "mp3-vbr", label: "MP3 VBR -V2 (lame)", extension: "mp3", command: (input, output) => ["lame", ["--quiet", "-V", "2", input, output]] },
  { id: "aac-m4a", label: "AAC 128k M4A (ffmpeg aac)", extension: "m4a", command: ffmpeg(["-c:a", "aac", "-b:a", "128k"]) },
  { id: "aac-adts", label: "AAC 128k ADTS (ffmpeg aac)", extension: "aac", command: ffmpeg(["-c:a", "aac", "-b:a", "128k", "-f", "adts"]) },
  { id: "opus", label: "Opus 96k Ogg (ffmpeg libopus)", extension: "opus", command: ffmpeg(["-c:a", "libopus", "-b:a", "96k"]) },
  { id: "flac", label: "FLAC (ffmpeg)", extension: "flac", command: ffmpeg(["-c:a", "flac"]) },
  { id: "flac-cover", label: "FLAC, 216 KB cover first (ffmpeg)", extension: "flac", command: ffmpeg(["-f", "lavfi", "-t", "0.04", "-i", "nullsrc=s=384x384:r=25,geq=r='random(1)*255':g='random(2)*255':b='random(3)*255',format=rgb24", "-map", "0:a", "-map", "1:v", "-frames:v", "1", "-c:a", "flac", "-c:v", "png", "-disposition:v", "attached_pic"]) },
];

/** Whether `tool` runs here. */
export function hasTool(tool: string): boolean {
  try {
    execFileSync(tool, [tool === "lame" ? "--version" : "-version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Encodes `wav` as `format` into `dir`; the file's path. */
export function encode(format: Format, wav: string, dir: string, stem: string): string {
  const output = join(dir, `${stem}-${format.id}.${format.extension}`);
  const [tool, args] = format.command(wav, output);
  execFileSync(tool, args, { stdio: ["ignore", "ignore", "inherit"] });
  return output;
}

/**
 * {@link encode}, unless the file is in `dir` already (a cache dir kept between runs: a 60-minute
 * encode takes minutes). Encoded under a temporary name first, so a killed run leaves no half file.
 */
export function encodeOnce(format: Format, wav: string, dir: string, stem: string): string {
  const output = join(dir, `${stem}-${format.id}.${format.extension}`);
  if (existsSync(output)) return output;
  renameSync(encode(format, wav, dir, `${stem}.partial`), output);
  return output;
}

/** What one play of a pulse track shows. */
export interface FormatPlay {
  readonly alignment: Alignment;
  /** PLAY → the speaker instant of the first non-silent rendered quantum, ms (analysis.ts's speakerMs). */
  readonly firstRenderMs: number | null;
  /** How the track's spans decoded (null for a WAV or a whole-file decode). */
  readonly decoding: DecodeStats | null;
}

/** An init script that takes WebCodecs away before the page loads: the engine falls back to `decodeAudioData` (SPEC M15). */
export const WITHOUT_WEBCODECS = "delete globalThis.AudioDecoder; delete globalThis.EncodedAudioChunk;";

/**
 * Plays `url` (a file of `host`) from `offsetMs`, `leadS` after the call, on a fresh page of
 * `browser` with the raw capture for `seconds`, then reads it.
 */
export function playPulses(browser: MediaBrowser, host: PageHost, url: string, offsetMs: number, seconds: number, leadS = 0.05, initScript = ""): Promise<FormatPlay> {
  return retriedOnce(`${browser.label} ${url} from ${offsetMs} ms`, () => playPulsesOnce(browser, host, url, offsetMs, seconds, leadS, initScript));
}

async function playPulsesOnce(browser: MediaBrowser, host: PageHost, url: string, offsetMs: number, seconds: number, leadS: number, initScript: string): Promise<FormatPlay> {
  const page = await browser.openPage(initScript + host.rawCapture);
  try {
    const started = await page.call("start", url, offsetMs, leadS);
    await sleep(seconds * 1000);
    const tap = await page.collectTap();
    const decoding = await page.call("decoding", url);
    const firstFrame = tap.records[0];
    return {
      alignment: alignmentOf(tap.records, tap.sampleRate, started.when, offsetMs),
      firstRenderMs: firstFrame === undefined ? null : speakerMs(tap.stamps, tap.sampleRate, firstFrame) - started.calledAtMs,
      decoding,
    };
  } finally {
    await page.close();
  }
}
