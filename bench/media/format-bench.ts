/**
 * bench:media's compressed formats: 3-minute pulse tracks in every format (and a 60-minute MP3,
 * or every format with `--long all`), played through the engine on the throttled link: PLAY →
 * first rendered sample, late join, and alignment against the WAV in the rendered output.
 */
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { encode, FORMATS, hasTool, playPulses, type FormatPlay } from "./formats.js";
import type { PageHost } from "./page-host.js";
import { writeTrack } from "./tracks.js";

type Row = (figure: string, value: string) => void;

const ms = (value: number | null | undefined) => (value === null || value === undefined ? "none" : `${value.toFixed(1)} ms`);
const offset = (play: FormatPlay, reference: FormatPlay) =>
  play.alignment.meanMs === null || reference.alignment.meanMs === null ? "no pulses found" : `${(play.alignment.meanMs - reference.alignment.meanMs).toFixed(2)} ms (${play.alignment.pulses} pulses)`;

/** One track length: the WAV reference and each format, from the start and from `lateMs`. */
async function measureLength(browser: Browser, host: PageHost, dir: string, row: Row, seconds: number, lateMs: number, formatIds: ReadonlySet<string>): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const label = `${Math.round(seconds / 60)}-min`;
  const wav = join(dir, `pulses-${label}.wav`);
  await writeTrack(wav, "pulse", seconds);
  const wavStart = await playPulses(browser, host, host.fileUrl(wav), 0, 4, true);
  const wavLate = await playPulses(browser, host, host.fileUrl(wav), lateMs, 4, true);
  row(`${label} WAV pulses: PLAY → first rendered sample / late join`, `${ms(wavStart.firstRenderMs)} / ${ms(wavLate.firstRenderMs)}`);
  for (const format of FORMATS.filter((f) => formatIds.has(f.id))) {
    const tool = format.command("", "")[0];
    if (!hasTool(tool)) {
      row(`${label} ${format.label}`, `skipped: ${tool} not installed`);
      continue;
    }
    const file = encode(format, wav, dir, `pulses-${label}`);
    files.set(format.id, host.fileUrl(file));
    const start = await playPulses(browser, host, host.fileUrl(file), 0, 4, true);
    const late = await playPulses(browser, host, host.fileUrl(file), lateMs, 4, true);
    row(`${label} ${format.label}: PLAY → first rendered sample`, ms(start.firstRenderMs));
    row(`${label} ${format.label}: alignment vs WAV, from the start`, offset(start, wavStart));
    row(`${label} ${format.label}: late join at ${Math.round(lateMs / 1000)} s → first rendered sample`, ms(late.firstRenderMs));
    row(`${label} ${format.label}: late join alignment vs WAV`, offset(late, wavLate));
  }
  return files;
}

/**
 * The formats' rows; `long` is "mp3" (the 60-minute MP3 only), "all" or "none". Returns the
 * 60-minute MP3's URL (for the memory run), if made.
 */
export async function runFormatBench(browser: Browser, host: PageHost, dir: string, row: Row, long: string): Promise<string | null> {
  await measureLength(browser, host, dir, row, 180, 150_000, new Set(FORMATS.map((f) => f.id)));
  if (long === "none") return null;
  const longIds = long === "all" ? FORMATS.map((f) => f.id) : ["mp3-cbr"];
  const files = await measureLength(browser, host, dir, row, 3600, 45 * 60_000, new Set(longIds));
  return files.get("mp3-cbr") ?? null;
}
