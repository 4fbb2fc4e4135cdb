/**
 * Pure reading of the tap's records (`[frame, value, …]`, NaN = silence; bench/sync/tap-worklet.ts)
 * for a timecode track: the first rendered frame, where it sits against the schedule, and every
 * discontinuity (a jump of the ramp or a gap of silence) after it; and the speaker instant of a
 * rendered frame.
 */

/** Frames per unit of the timecode ramp and its offset (packages/demo-tracks/src/timecode.ts). */
const UNIT = 2 ** 22;
const OFFSET = 2 ** 21;

/** Track frame (modulo `wrap`) a timecode sample encodes. */
export function timecodeFrame(value: number): number {
  return value * UNIT + OFFSET;
}

/** What a tap run shows. */
export interface TapReading {
  /** Context frame of the first rendered (non-silent) sample, or null if nothing rendered. */
  readonly firstFrame: number | null;
  /** The timecode frame rendered there. */
  readonly firstTimecode: number | null;
  /**
   * The next record after the first (the next render quantum): its context frame and timecode.
   * A start between two frames renders its first sample interpolated, so positions are read here.
   */
  readonly settled: { readonly frame: number; readonly timecode: number } | null;
  /** Ramp jumps or silences after the first rendered sample (each one a discontinuity; the step off the first, interpolated, sample is not one). */
  readonly discontinuities: number;
  /** The first few: context frame and size (timecode jump in frames; NaN for a gap of silence). */
  readonly firstDiscontinuities: readonly { readonly frame: number; readonly jump: number }[];
  /** Frames rendered from the first to the last record. */
  readonly renderedFrames: number;
}

/**
 * Reads records up to `untilFrame`. Consecutive non-silent records must advance the timecode by
 * exactly their frame distance (modulo `wrap`, within 0.6 frame); anything else counts.
 */
export function readTap(records: readonly number[], wrap: number, untilFrame = Infinity): TapReading {
  let first: { frame: number; code: number } | null = null;
  let settled: { frame: number; timecode: number } | null = null;
  let previous: { frame: number; code: number } | null = null;
  let discontinuities = 0;
  const firstDiscontinuities: { frame: number; jump: number }[] = [];
  const note = (frame: number, jump: number) => {
    discontinuities++;
    if (firstDiscontinuities.length < 5) firstDiscontinuities.push({ frame, jump });
  };
  let last = 0;
  for (let i = 0; i + 1 < records.length; i += 2) {
    const frame = records[i]!;
    const value = records[i + 1]!;
    if (frame > untilFrame) break;
    if (Number.isNaN(value)) {
      // One gap of silence counts once, however many quanta it lasts.
      if (first && previous) note(frame, Number.NaN);
      previous = null;
      continue;
    }
    const code = timecodeFrame(value);
    if (first && !settled) settled = { frame, timecode: code };
    if (!first) first = { frame, code };
    // A node started between two frames renders its first sample interpolated with the silence
    // before it (Web Audio's sub-sample start): the step from it to the next is the start itself.
    else if (previous && previous !== first) {
      const step = (((code - previous.code - (frame - previous.frame)) % wrap) + wrap + wrap / 2) % wrap - wrap / 2;
      if (Math.abs(step) > 0.6) note(frame, step);
    }
    previous = first.frame === frame ? first : { frame, code };
    last = frame;
  }
  return {
    firstFrame: first?.frame ?? null,
    firstTimecode: first?.code ?? null,
    settled,
    discontinuities,
    firstDiscontinuities,
    renderedFrames: first ? last - first.frame : 0,
  };
}

/** Signed distance `a - b` on a circle of `wrap` frames. */
export function wrappedDelta(a: number, b: number, wrap: number): number {
  return ((((a - b) % wrap) + wrap + wrap / 2) % wrap) - wrap / 2;
}

/**
 * The speaker instant (page `performance.now()` ms) of context frame `frame`, by the latest
 * `getOutputTimestamp()` pair in `stamps` (flat `[contextTime, performanceTime, …]`). Wall time,
 * not context time: Firefox's context clock stands still while its graph sleeps (seen: a fresh
 * page's first start read 49 ms after PLAY in context time, its data not yet fetched).
 */
export function speakerMs(stamps: readonly number[], sampleRate: number, frame: number): number {
  const n = stamps.length;
  const [contextTime, performanceTime] = [stamps[n - 2]!, stamps[n - 1]!];
  return performanceTime + (frame / sampleRate - contextTime) * 1000;
}
