/**
 * From what each page rendered to the figures: pure functions over the tap data.
 *
 * A tap record says "context frame f carried timecode value v". The speaker-time fit of the
 * page's `getOutputTimestamp()` pairs maps f to page `performance.now()` time; adding the page's
 * real time origin and the measured bench-minus-page offset gives the bench (true) instant it
 * is heard. The server timeline (PLAY / SEEK instants, converted to bench time) says what
 * should be heard then.
 */
import type { TapData } from "./tap-init.js";
import { decodeTimecodeMs } from "./timecode.js";
import { evalFit, quantile, segmentAt, segmentedFit, type FitSegment } from "./fit.js";

/** The canonical timeline: from `atMs` (bench time) on, position `positionMs` advancing 1:1. */
export interface TimelineEvent {
  readonly atMs: number;
  readonly positionMs: number;
}

/** What one client rendered, as bench instants and track positions (NaN: silence). */
export interface RenderedTrack {
  readonly atMs: Float64Array;
  readonly positionMs: Float64Array;
  /**
   * Each record's context time (ms): the sample stream itself, before the speaker fit. A jump in
   * position against it is in what the page rendered; a jump against `atMs` alone is the device
   * (or the fit's segment boundary), not the page.
   */
  readonly contextMs?: Float64Array;
  /** Tap records whose frame had not advanced, given back their frames (see {@link unstickFrames}). */
  readonly stuckFrames?: number;
  /** Speaker-time fits between audio glitches (one when the device never stalled). */
  readonly segments: readonly FitSegment[];
  readonly stampCount: number;
  /** Worst p99 residual of the segment fits (ms). */
  readonly residualP99Ms: number;
}

/** Maps the tap's records to bench time through the output-timestamp fit. */
export function renderedTrack(tap: TapData, benchMinusPageMs: number): RenderedTrack | null {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i + 1 < tap.stamps.length; i += 2) {
    xs.push(tap.stamps[i]!);
    ys.push(tap.stamps[i + 1]!);
  }
  const segments = segmentedFit(xs, ys, 1000);
  if (segments.length === 0) return null;
  const records = Array.from(tap.records);
  const stuckFrames = unstickFrames(records);
  const total = Math.floor(records.length / 2);
  const times: number[] = [];
  const positions: number[] = [];
  const contexts: number[] = [];
  for (let i = 0; i < total; i += 1) {
    const frame = records[2 * i]!;
    const value = records[2 * i + 1]!;
    // A one-sample segment is a source starting between frames (its first sample interpolates
    // from zero, which decodes as 47.55 s): not a position, skip it.
    if (!Number.isNaN(value) && i + 1 < total && records[2 * i + 2] === frame + 1) continue;
    const contextTime = frame / tap.sampleRate;
    times.push(tap.realTimeOrigin + benchMinusPageMs + evalFit(segmentAt(segments, contextTime)!.fit, contextTime));
    contexts.push(contextTime * 1000);
    positions.push(Number.isNaN(value) ? Number.NaN : decodeTimecodeMs(value));
  }
  const atMs = Float64Array.from(times);
  const positionMs = Float64Array.from(positions);
  const contextMs = Float64Array.from(contexts);
  return { atMs, positionMs, contextMs, stuckFrames, segments, stampCount: xs.length, residualP99Ms: Math.max(...segments.map((s) => s.fit.residualP99)) };
}

/** Longest gap between records that still counts as continuous (a render quantum is 2.9 ms). */
const MAX_GAP_MS = 6;

/** Frames per Web Audio render quantum. */
const RENDER_QUANTUM_FRAMES = 128;

/**
 * Gives back their frames to per-quantum records whose frame did not advance; returns how many.
 * Headless Chromium's tap sometimes reads the same `currentFrame` for 2–5 consecutive render
 * quanta while their samples run on (each record one quantum further along the track), then the
 * next record's frame is where it should be — the render thread ran a burst of quanta and the
 * worklet's frame counter lagged. Taken as it is, that is a position running ahead of the frames
 * and a "2.9–11.6 ms jump" back, which the page did not render: it shows with no engine at all
 * (one `start(when)` node), see `bench/sync/README.md`, "Tap artefact". Only a run of equal frames
 * whose next record lies at least that many quanta on is changed; `records` ([frame, value] pairs)
 * is changed in place.
 */
export function unstickFrames(records: Float64Array | number[], quantumFrames = RENDER_QUANTUM_FRAMES): number {
  const total = Math.floor(records.length / 2);
  let repaired = 0;
  for (let i = 0; i < total; ) {
    const frame = records[2 * i]!;
    let run = 1;
    while (i + run < total && records[2 * (i + run)] === frame && !Number.isNaN(records[2 * (i + run) + 1]!)) run += 1;
    const next = i + run < total ? records[2 * (i + run)]! : Infinity;
    if (run > 1 && !Number.isNaN(records[2 * i + 1]!) && next >= frame + run * quantumFrames) {
      for (let k = 1; k < run; k += 1) records[2 * (i + k)] = frame + k * quantumFrames;
      repaired += run - 1;
    }
    i += run;
  }
  return repaired;
}

/** The position heard at bench instant `t`, or null (silence, not yet playing, or a data gap). */
export function positionAt(track: RenderedTrack, t: number): number | null {
  const { atMs, positionMs } = track;
  let low = 0;
  let high = atMs.length - 1;
  if (high < 0 || t < atMs[0]!) return null;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (atMs[mid]! <= t) low = mid;
    else high = mid - 1;
  }
  const since = t - atMs[low]!;
  const position = positionMs[low]!;
  if (Number.isNaN(position) || since > MAX_GAP_MS) return null;
  return position + since;
}

/**
 * The canonical position at bench instant `t`, or null before the first event. Independent of
 * `@sync-beats/timeline` on purpose: it is the oracle the rendered audio is measured against.
 */
export function timelineAt(events: readonly TimelineEvent[], t: number): number | null {
  let current: TimelineEvent | null = null;
  for (const event of events) if (event.atMs <= t) current = event;
  return current ? current.positionMs + (t - current.atMs) : null;
}

/** Per-client error series (rendered minus canonical) on a grid of bench instants. */
export interface ErrorSeries {
  readonly gridMs: Float64Array;
  /** [client][grid index]: error in ms, NaN where the client renders nothing. */
  readonly errorsMs: Float64Array[];
}

export function errorSeries(tracks: readonly RenderedTrack[], events: readonly TimelineEvent[], fromMs: number, toMs: number, stepMs: number): ErrorSeries {
  const count = Math.max(0, Math.floor((toMs - fromMs) / stepMs));
  const gridMs = new Float64Array(count);
  const errorsMs = tracks.map(() => new Float64Array(count).fill(Number.NaN));
  for (let g = 0; g < count; g += 1) {
    const t = fromMs + g * stepMs;
    gridMs[g] = t;
    const canonical = timelineAt(events, t);
    if (canonical === null) continue;
    tracks.forEach((track, c) => {
      const position = positionAt(track, t);
      if (position !== null) errorsMs[c]![g] = position - canonical;
    });
  }
  return { gridMs, errorsMs };
}

/** p50 / p95 / max of a list (NaN when empty), and how many values it had. */
export interface Summary {
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  readonly n: number;
}

export function summarize(values: readonly number[]): Summary {
  return { p50: quantile(values, 0.5), p95: quantile(values, 0.95), max: values.length ? Math.max(...values) : Number.NaN, n: values.length };
}

/**
 * Inter-client offset (max minus min rendered position across clients) at each grid instant of
 * [fromMs, toMs) where every client renders; also how many instants had a client missing.
 */
export function interClientOffsets(series: ErrorSeries, fromMs: number, toMs: number): { offsetsMs: number[]; missing: number } {
  const offsetsMs: number[] = [];
  let missing = 0;
  for (let g = 0; g < series.gridMs.length; g += 1) {
    const t = series.gridMs[g]!;
    if (t < fromMs || t >= toMs) continue;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let complete = true;
    for (const errors of series.errorsMs) {
      const e = errors[g]!;
      if (Number.isNaN(e)) {
        complete = false;
        break;
      }
      min = Math.min(min, e);
      max = Math.max(max, e);
    }
    if (complete) offsetsMs.push(max - min);
    else missing += 1;
  }
  return { offsetsMs, missing };
}

/** |error| values of one client within [fromMs, toMs) (silence counted apart). */
export function absErrors(series: ErrorSeries, client: number, fromMs: number, toMs: number): { values: number[]; missing: number } {
  const values: number[] = [];
  let missing = 0;
  const errors = series.errorsMs[client]!;
  for (let g = 0; g < series.gridMs.length; g += 1) {
    const t = series.gridMs[g]!;
    if (t < fromMs || t >= toMs) continue;
    const e = errors[g]!;
    if (Number.isNaN(e)) missing += 1;
    else values.push(Math.abs(e));
  }
  return { values, missing };
}

/**
 * Time from `eventMs` until the client is within `thresholdMs` and stays there for `holdMs`
 * (or until `endMs`, if sooner): the first grid instant t >= eventMs such that every sample in
 * [t, min(t + holdMs, endMs)) is present and within the threshold. Null if never.
 */
export function convergeTime(series: ErrorSeries, client: number, eventMs: number, endMs: number, thresholdMs: number, holdMs: number): number | null {
  const errors = series.errorsMs[client]!;
  const grid = series.gridMs;
  let runStart: number | null = null;
  for (let g = 0; g < grid.length; g += 1) {
    const t = grid[g]!;
    if (t < eventMs) continue;
    if (t >= endMs) break;
    const e = errors[g]!;
    const ok = !Number.isNaN(e) && Math.abs(e) < thresholdMs;
    if (!ok) runStart = null;
    else {
      runStart ??= t;
      if (t - runStart >= holdMs) return runStart - eventMs;
    }
  }
  // Held to the end of the segment, though shorter than holdMs: counts if at least half of it.
  if (runStart !== null && endMs - runStart >= holdMs / 2) return runStart - eventMs;
  return null;
}

/**
 * When the client first rendered the new content of a jump to `targetMs` (bench instant at which
 * it played `targetMs`, extrapolated from its first record past the jump) minus `eventMs`:
 * positive if it jumped late. Null if it never did within `searchMs`.
 */
export function jumpLatenessMs(track: RenderedTrack, eventMs: number, targetMs: number, searchMs: number): number | null {
  for (let i = 0; i < track.atMs.length; i += 1) {
    const at = track.atMs[i]!;
    if (at < eventMs - searchMs) continue;
    if (at > eventMs + searchMs) break;
    const position = track.positionMs[i]!;
    if (position >= targetMs - 500 && position <= targetMs + searchMs) return at - (position - targetMs) - eventMs;
  }
  return null;
}
