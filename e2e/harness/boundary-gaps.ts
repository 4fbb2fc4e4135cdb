import { decodeTimecodeSample } from "@sync-beats/demo-tracks";

/**
 * Gaps at track boundaries, read from what a page rendered (the timecode tap's records: flat
 * `[frame, value]` pairs, one per render quantum and one at every break of the ramp; a NaN value
 * is silence). Every track is a timecode ramp whose samples encode their own frame, so at a
 * boundary the frame the previous track's ramp would have passed its last sample is known
 * exactly, and so is how far into the next track its first rendered sample is.
 */
export interface BoundaryGap {
  /** Context frame of the next track's first rendered sample. */
  readonly frame: number;
  /** Rendered frame of the next track's first sample minus the frame after the previous one's last (+ silence, − cut short), ms. */
  readonly gapMs: number;
  /** How much of the next track's start was skipped (it started part-way in), ms. */
  readonly skippedMs: number;
}

/** A start of a track: its first rendered sample is this close to the track's frame 0. */
const START_FRAMES = 0.2 * 44_100;
/** The previous track's last record must be this recent: further back, the room was silent (a first start). */
const RECENT_FRAMES = 0.5 * 44_100;

/**
 * The boundaries in `records`, in order; `trackFrames[k]` is the length (frames) of the track
 * that boundary k ends. `sampleRate` is the context's (the tracks are 44.1 kHz like it).
 */
export function boundaryGaps(records: readonly number[], sampleRate: number, trackFrames: readonly number[]): BoundaryGap[] {
  const gaps: BoundaryGap[] = [];
  let last: { frame: number; position: number } | null = null;
  for (let i = 0; i + 1 < records.length; i += 2) {
    const frame = records[i]!;
    const value = records[i + 1]!;
    // Exactly 0 is frame 2^21 of a ramp (47.5 s, past any track here) or, in practice, the last
    // silent sample before a sound starts mid-quantum, which the worklet records as the edge.
    if (Number.isNaN(value) || value === 0) continue;
    const position = decodeTimecodeSample(value);
    const isStart = position < START_FRAMES;
    if (isStart && last && last.position > START_FRAMES && frame - last.frame < RECENT_FRAMES) {
      const length = trackFrames[gaps.length];
      if (length === undefined) throw new Error(`boundary ${gaps.length + 1} but only ${trackFrames.length} track lengths given`);
      // The ramp runs one frame per frame (rate ~1 within one render quantum) from the last record.
      const endFrame = last.frame + (length - last.position);
      gaps.push({ frame, gapMs: ((frame - endFrame) / sampleRate) * 1000, skippedMs: (position / sampleRate) * 1000 });
    }
    last = { frame, position };
  }
  return gaps;
}
