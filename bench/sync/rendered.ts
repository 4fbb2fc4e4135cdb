/**
 * Glitches and rendered rate, from what a page rendered (pure; issue 17's two extra columns).
 *
 * A rendered track is (bench instant, track position) per tap record, NaN for silence. Between two
 * consecutive records that are both sounding and close in time, the position should advance by
 * the elapsed time times the playback rate (within ±0.5 %: 0.03 ms over a 6 ms step). A step
 * off by more than `thresholdMs` is a rendered discontinuity — a re-seek, a late seek, a skipped
 * or repeated stretch. The room's own seeks are discontinuities too; a timeline event excuses
 * the jumps within `excuseMs` of it (a seek's hand-over can overlap the old and the new node for a
 * millisecond or two, which reads as two jumps).
 */
import type { RenderedTrack, TimelineEvent } from "./analysis.js";

/** Longest gap between records that still counts as continuous (ms; a render quantum is 2.9 ms). */
const CONTINUOUS_GAP_MS = 6;

/** One rendered discontinuity: where, and by how much the position jumped against time. */
export interface RenderedJump {
  /** Bench instant of the record after the jump. */
  readonly atMs: number;
  /** Position advanced minus bench time elapsed between the two records (ms). */
  readonly jumpMs: number;
  /**
   * Position advanced minus context time elapsed (ms; null without context times): the jump in
   * the sample stream the page rendered. Near 0 while `jumpMs` is not: the device (or the
   * speaker fit's segment boundary) moved in time, the page's samples ran on.
   */
  readonly streamJumpMs: number | null;
}

/** Rendered discontinuities larger than `thresholdMs`, excused ones left out (see the file's comment). */
export function renderedJumps(track: RenderedTrack, events: readonly TimelineEvent[], thresholdMs = 1, excuseMs = 250): RenderedJump[] {
  const { atMs, positionMs, contextMs } = track;
  const jumps: RenderedJump[] = [];
  for (let i = 1; i < atMs.length; i++) {
    const dt = atMs[i]! - atMs[i - 1]!;
    const a = positionMs[i - 1]!;
    const b = positionMs[i]!;
    if (Number.isNaN(a) || Number.isNaN(b) || dt > CONTINUOUS_GAP_MS || dt < 0) continue;
    if (Math.abs(b - a - dt) <= thresholdMs) continue;
    if (!events.some((e) => Math.abs(e.atMs - atMs[i]!) <= excuseMs)) jumps.push({ atMs: atMs[i]!, jumpMs: b - a - dt, streamJumpMs: contextMs ? b - a - (contextMs[i]! - contextMs[i - 1]!) : null });
  }
  return jumps;
}

/** Instants (bench ms) of rendered discontinuities larger than `thresholdMs`, excused ones left out. */
export function renderedGlitches(track: RenderedTrack, events: readonly TimelineEvent[], thresholdMs = 1, excuseMs = 250): number[] {
  return renderedJumps(track, events, thresholdMs, excuseMs).map((j) => j.atMs);
}

/**
 * The largest |rendered rate − 1| over `windowMs` stretches of continuous sound (no gap, no
 * discontinuity inside), from `fromMs` on. Rate = position advanced / bench time elapsed.
 */
export function maxRenderedRateDeviation(track: RenderedTrack, fromMs: number, windowMs = 1_000, thresholdMs = 1): number | null {
  const { atMs, positionMs } = track;
  let worst: number | null = null;
  let runStart = -1;
  for (let i = 0; i < atMs.length; i++) {
    const sounding = !Number.isNaN(positionMs[i]!) && atMs[i]! >= fromMs;
    const continues =
      sounding &&
      runStart >= 0 &&
      atMs[i]! - atMs[i - 1]! <= CONTINUOUS_GAP_MS &&
      Math.abs(positionMs[i]! - positionMs[i - 1]! - (atMs[i]! - atMs[i - 1]!)) <= thresholdMs;
    if (!continues) {
      runStart = sounding ? i : -1;
      continue;
    }
    if (atMs[i]! - atMs[runStart]! >= windowMs) {
      const rate = (positionMs[i]! - positionMs[runStart]!) / (atMs[i]! - atMs[runStart]!);
      worst = Math.max(worst ?? 0, Math.abs(rate - 1));
      // Slide: the next window starts where this one ended.
      runStart = i;
    }
  }
  return worst;
}
