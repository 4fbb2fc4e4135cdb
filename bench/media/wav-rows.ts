/**
 * bench:media's WAV and memory rows in one browser (media-browser.ts): the timecode WAV's start,
 * late join and chunk-boundary discontinuities, the 60-minute WAV's start and late join, the
 * whole-file baseline, and the content processes' memory over 10 tracks in a row.
 */
import { sleep } from "../sync/time.js";
import { readTap, speakerMs, wrappedDelta } from "./analysis.js";
import { retriedOnce, type MediaBrowser } from "./media-browser.js";
import type { PageHost } from "./page-host.js";
import type { Row } from "./report.js";
import { RATE, TIMECODE_WRAP_FRAMES } from "./tracks.js";

interface PlayFigures {
  readonly firstRenderMs: number | null;
  readonly positionErrorMs: number | null;
  readonly discontinuities: number;
  /** Where they were: seconds after the first rendered frame, and the jump in frames (NaN: a gap). */
  readonly where: string;
  readonly renderedS: number;
}

/** Starts `url` at `offsetMs` on a fresh page with the timecode tap, plays `seconds`, reads the tap. */
function play(browser: MediaBrowser, host: PageHost, url: string, offsetMs: number, seconds: number, timecode: boolean): Promise<PlayFigures> {
  return retriedOnce(`${browser.label} ${url} from ${offsetMs} ms`, () => playOnce(browser, host, url, offsetMs, seconds, timecode));
}

async function playOnce(browser: MediaBrowser, host: PageHost, url: string, offsetMs: number, seconds: number, timecode: boolean): Promise<PlayFigures> {
  const page = await browser.openPage(host.timecodeTap);
  try {
    const started = await page.call("start", url, offsetMs);
    await sleep(seconds * 1000);
    const tap = await page.collectTap();
    const reading = readTap(tap.records, TIMECODE_WRAP_FRAMES);
    if (reading.firstFrame === null) return { firstRenderMs: null, positionErrorMs: null, discontinuities: 0, where: "", renderedS: 0 };
    // Where the schedule says the track is at the settled frame (context time, rate 1).
    const settled = reading.settled;
    const expectedFrame = settled ? ((offsetMs / 1000 + (settled.frame / tap.sampleRate - started.when)) * RATE) % TIMECODE_WRAP_FRAMES : 0;
    return {
      firstRenderMs: speakerMs(tap.stamps, tap.sampleRate, reading.firstFrame) - started.calledAtMs,
      positionErrorMs: timecode && settled ? (wrappedDelta(settled.timecode, expectedFrame, TIMECODE_WRAP_FRAMES) / RATE) * 1000 : null,
      discontinuities: timecode ? reading.discontinuities : 0,
      where: reading.firstDiscontinuities.map((d) => `${((d.frame - reading.firstFrame!) / tap.sampleRate).toFixed(2)} s: ${d.jump.toFixed(1)}`).join(", "),
      renderedS: reading.renderedFrames / tap.sampleRate,
    };
  } finally {
    await page.close();
  }
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (value: number | null) => (value === null ? "none" : `${value.toFixed(1)} ms`);
const discontinuities = (figures: PlayFigures) => `${figures.discontinuities}${figures.where ? ` (${figures.where})` : ""}`;

/** The WAVs these rows play: URLs the browser's pages can fetch (the API's, through the browser's link). */
export interface WavUrls {
  readonly timecode3min: string;
  readonly sine60min: string;
}

/** The WAV rows; `playS` seconds of the timecode WAV from its start are checked for discontinuities. */
export async function wavRows(browser: MediaBrowser, host: PageHost, urls: WavUrls, row: Row, playS: number, baseline: boolean): Promise<void> {
  const shortStart = await play(browser, host, urls.timecode3min, 0, playS, true);
  row("3-min WAV, PLAY → first rendered sample", ms(shortStart.firstRenderMs));
  row("3-min WAV, rendered position vs schedule at start", ms(shortStart.positionErrorMs));
  row(`3-min WAV, discontinuities in the first ${playS} s rendered (chunk boundaries)`, `${discontinuities(shortStart)} in ${shortStart.renderedS.toFixed(1)} s`);
  const shortLate = await play(browser, host, urls.timecode3min, 150_000, 8, true);
  row("3-min WAV, late join at 2:30 → first rendered sample", ms(shortLate.firstRenderMs));
  row("3-min WAV, late join: rendered position vs schedule", ms(shortLate.positionErrorMs));
  row("3-min WAV, late join: discontinuities", discontinuities(shortLate));
  const longStart = await play(browser, host, urls.sine60min, 0, 5, false);
  row("60-min WAV, PLAY → first rendered sample", ms(longStart.firstRenderMs));
  const longLate = await play(browser, host, urls.sine60min, 45 * 60_000, 5, false);
  row("60-min WAV, late join at 45:00 → first rendered sample", ms(longLate.firstRenderMs));
  if (!baseline) return;
  // Baseline, same run and link: the whole-file download and decode the engine used to do.
  const page = await browser.openPage(host.timecodeTap);
  try {
    const wholeMs = await page.call("wholeDecodeMs", urls.timecode3min, 90_000);
    const ratio = shortStart.firstRenderMs ? `${(wholeMs! / shortStart.firstRenderMs).toFixed(0)}×` : "?";
    row("baseline: 3-min WAV whole download + decodeAudioData", wholeMs === null ? "> 90 s" : `${(wholeMs / 1000).toFixed(1)} s (ratio to streamed start ${ratio})`);
  } finally {
    await page.close();
  }
}

/**
 * Ten tracks in a row on one page (distinct URLs, so nothing is reused), 4 s each, from 10:00;
 * the content processes' RSS after each (in Chromium after a forced garbage collection: what is
 * still held, not what the collector has yet to free). The page has the sparse raw capture
 * (bounded): the timecode tap keeps a record per sample of anything but a timecode.
 */
export async function tenTracks(browser: MediaBrowser, host: PageHost, urlOf: (i: number) => string, label: string, row: Row): Promise<void> {
  const memory = await retriedOnce(`${browser.label} 10 ${label} tracks`, async () => {
    const page = await browser.openPage(host.rawCapture);
    const bytes: number[] = [];
    try {
      for (let i = 0; i < 10; i++) {
        await page.call("start", urlOf(i), 600_000);
        await sleep(4000);
        bytes.push(await page.contentMemoryBytes());
      }
      await page.call("stop");
    } finally {
      await page.close();
    }
    return bytes;
  });
  const each = memory.map((bytes) => (bytes / 1024 / 1024).toFixed(0)).join(", ");
  const what = browser.engine === "chromium" ? "renderers' RSS after a GC" : "content processes' RSS, no GC";
  row(`page memory over 10 ${label} tracks in a row (1st → 10th)`, `${mb(memory[0]!)} → ${mb(memory.at(-1)!)} (${what}; each, MB: ${each})`);
}
