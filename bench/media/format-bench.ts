/**
 * bench:media's compressed formats: 3-minute pulse tracks in every format (and 60-minute tracks
 * of the streamed ones, or of every format with `--long all`), played through the engine on the
 * browser's throttled link: PLAY → first rendered sample, late join, alignment against the WAV in the
 * rendered output, and for a 60-minute MP3 a late join at 59:00 played to the track's end (every
 * pulse of the last minute found, none off).
 */
import { join } from "node:path";
import { encodeOnce, FORMATS, hasTool, playPulses, type FormatPlay } from "./formats.js";
import type { MediaBrowser } from "./media-browser.js";
import type { PageHost } from "./page-host.js";
import type { Row } from "./report.js";
import { PULSE_EVERY_FRAMES, PULSE_RATE } from "./pulses.js";
import { writeTrackOnce } from "./tracks.js";


/** Seconds each start and late join is played (and read back). */
const PLAY_S = 4;
const ms = (value: number | null | undefined) => (value === null || value === undefined ? `nothing rendered in ${PLAY_S} s` : `${value.toFixed(1)} ms`);
const offset = (play: FormatPlay, reference: FormatPlay) =>
  play.alignment.meanMs === null || reference.alignment.meanMs === null ? "no pulses found" : `${(play.alignment.meanMs - reference.alignment.meanMs).toFixed(2)} ms (${play.alignment.pulses} pulses)`;

/** Where the end run joins a 60-minute track: its last minute is played to the end. */
const END_JOIN_MS = 59 * 60_000;
/** The end run plays this long (the minute left, then the stop). */
const END_PLAY_S = 63;

/** The end run's row: pulses found of those in the last minute, where the last one is, and how they sit against the WAV. */
function endRow(play: FormatPlay, reference: FormatPlay, trackS: number): string {
  const a = play.alignment;
  const inTrack = Math.floor(((trackS - END_JOIN_MS / 1000) * PULSE_RATE) / PULSE_EVERY_FRAMES);
  if (a.meanMs === null || reference.alignment.meanMs === null) return "no pulses found";
  return `${a.pulses} pulses found of ${a.searched} due after the first rendered sample (${inTrack} in the last minute), last at ${a.lastPulseS?.toFixed(1)} s; ${(a.meanMs - reference.alignment.meanMs).toFixed(2)} ms vs WAV, spread ${a.spreadMs?.toFixed(2)} ms`;
}

/** What to measure at one track length. */
interface LengthPlan {
  readonly seconds: number;
  readonly lateMs: number;
  readonly formatIds: ReadonlySet<string>;
  /** Formats also joined at 59:00 and played to the end (60-minute tracks). */
  readonly toTheEnd: ReadonlySet<string>;
}

/** One track length: the WAV reference and each format, from the start and from `lateMs`. */
async function measureLength(browser: MediaBrowser, host: PageHost, dir: string, row: Row, plan: LengthPlan): Promise<void> {
  const label = `${Math.round(plan.seconds / 60)}-min`;
  const wav = join(dir, `pulses-${label}.wav`);
  await writeTrackOnce(wav, "pulse", plan.seconds);
  const wavStart = await playPulses(browser, host, host.fileUrl(wav, browser.origin), 0, PLAY_S);
  const wavLate = await playPulses(browser, host, host.fileUrl(wav, browser.origin), plan.lateMs, PLAY_S);
  row(`${label} WAV pulses: PLAY → first rendered sample / late join`, `${ms(wavStart.firstRenderMs)} / ${ms(wavLate.firstRenderMs)}`);
  for (const format of FORMATS.filter((f) => plan.formatIds.has(f.id))) {
    const tool = format.command("", "")[0];
    if (!hasTool(tool)) {
      row(`${label} ${format.label}`, `skipped: ${tool} not installed`);
      continue;
    }
    const file = encodeOnce(format, wav, dir, `pulses-${label}`);
    const start = await playPulses(browser, host, host.fileUrl(file, browser.origin), 0, PLAY_S);
    const late = await playPulses(browser, host, host.fileUrl(file, browser.origin), plan.lateMs, PLAY_S);
    row(`${label} ${format.label}: PLAY → first rendered sample`, ms(start.firstRenderMs));
    row(`${label} ${format.label}: alignment vs WAV, from the start`, offset(start, wavStart));
    row(`${label} ${format.label}: late join at ${Math.round(plan.lateMs / 1000)} s → first rendered sample`, ms(late.firstRenderMs));
    row(`${label} ${format.label}: late join alignment vs WAV`, offset(late, wavLate));
    if (plan.toTheEnd.has(format.id)) {
      const end = await playPulses(browser, host, host.fileUrl(file, browser.origin), END_JOIN_MS, END_PLAY_S);
      row(`${label} ${format.label}: late join at 59:00 → first rendered sample`, ms(end.firstRenderMs));
      row(`${label} ${format.label}: from 59:00 played to the end`, endRow(end, wavLate, plan.seconds));
    }
  }
}

/** The formats the engine streams by range (the others decode whole). */
const STREAMED_IDS = ["mp3-cbr", "mp3-vbr", "aac-m4a", "opus", "flac"];
/** Played from 59:00 to the end (the "done when" is about a 60-minute MP3; M4A ends on a short frame and the edit's padding). */
const TO_THE_END_IDS = new Set(["mp3-cbr", "mp3-vbr", "aac-m4a"]);

/**
 * Which formats get 60-minute tracks: "streamed" (the default), "mp3" (CBR and VBR), "all",
 * "none", or format ids separated by commas.
 */
function longFormats(long: string): string[] {
  if (long === "none") return [];
  if (long === "mp3") return ["mp3-cbr", "mp3-vbr"];
  if (long === "streamed") return STREAMED_IDS;
  return long === "all" ? FORMATS.map((f) => f.id) : long.split(",").filter((id) => FORMATS.some((f) => f.id === id));
}

/**
 * The formats' rows; `long` picks the 60-minute ones ({@link longFormats}), `short` the 3-minute
 * ones (format ids; every format when null, none when empty). Tracks already in `dir` are reused.
 */
export async function runFormatBench(browser: MediaBrowser, host: PageHost, dir: string, row: Row, long: string, short: readonly string[] | null = null): Promise<void> {
  const shortIds = new Set(short ?? FORMATS.map((f) => f.id));
  if (shortIds.size > 0) await measureLength(browser, host, dir, row, { seconds: 180, lateMs: 150_000, formatIds: shortIds, toTheEnd: new Set() });
  const ids = longFormats(long);
  if (ids.length > 0) await measureLength(browser, host, dir, row, { seconds: 3600, lateMs: 45 * 60_000, formatIds: new Set(ids), toTheEnd: TO_THE_END_IDS });
}

/** Writes and encodes every track the format rows use into `dir` (for `--prepare`, outside the benchmark lock). */
export async function prepareFormatTracks(dir: string, long: string): Promise<void> {
  const lengths: [number, readonly string[]][] = [[180, FORMATS.map((f) => f.id)], [3600, longFormats(long)]];
  for (const [seconds, ids] of lengths) {
    if (ids.length === 0) continue;
    const label = `${Math.round(seconds / 60)}-min`;
    const wav = join(dir, `pulses-${label}.wav`);
    await writeTrackOnce(wav, "pulse", seconds);
    for (const format of FORMATS.filter((f) => ids.includes(f.id) && hasTool(f.command("", "")[0]))) encodeOnce(format, wav, dir, `pulses-${label}`);
  }
}
