/**
 * Which piece of a track to fetch next and which decoded pieces to drop, as a pure function of
 * the playhead: a bounded window of decoded audio ahead of what plays, nothing far behind it.
 * Frames are sample frames of the track's own rate, from its sample 0.
 */

/** A decoded (or in-flight) span of frames `[start, end)`. */
export interface FrameSpan {
  readonly start: number;
  readonly end: number;
}

/** Sizes of the window, in seconds of audio. */
export interface ChunkPlanOptions {
  /** The first piece after a start or a seek: small, so the first sample renders quickly. */
  readonly firstChunkS: number;
  /**
   * The largest later piece. Pieces grow from the first: each is as long as the audio already
   * ready ahead (so it arrives before that runs out on any link faster than about 2× the
   * bitrate), up to this.
   */
  readonly chunkS: number;
  /** Decoded audio kept ready ahead of the playhead. */
  readonly aheadS: number;
  /** Decoded audio kept behind the playhead (what just played may still be asked about). */
  readonly behindS: number;
}

/** 0.5 s first (≈ 90 KB of 16-bit stereo: under 0.2 s on a 4 Mbit/s link), 5 s pieces, 25 s ahead. */
export const DEFAULT_CHUNK_PLAN: ChunkPlanOptions = { firstChunkS: 0.5, chunkS: 5, aheadS: 25, behindS: 2 };

/** What {@link planChunks} decided. */
export interface ChunkPlan {
  /** The next span to fetch and decode, or null when the window is full (or the track ends). */
  readonly fetch: FrameSpan | null;
  /** Indexes (into the `held` argument) of spans to drop. */
  readonly evict: readonly number[];
}

/**
 * Plans around `playheadFrame`: the next fetch extends the run of held spans that covers the
 * playhead (or starts one, small, when nothing covers it), pieces doubling up to `chunkS`; spans
 * that ended more than `behindS` ago, or lie outside the run, are evicted (a seek leaves them
 * behind).
 *
 * `freshFromFrame` (≥ the playhead) is where a new run starts: the frame that will be due when a
 * fetch started now arrives. Started at the playhead instead, a fetch slower than its own length
 * of audio (a slow link, a busy page) is overtaken before it lands, evicted and aborted, and the
 * next one too: nothing ever plays. A span that starts between the playhead and `freshFromFrame`
 * (that run's first fetch, still in flight) heads the run.
 */
export function planChunks(
  held: readonly FrameSpan[],
  playheadFrame: number,
  totalFrames: number,
  sampleRate: number,
  options: ChunkPlanOptions = DEFAULT_CHUNK_PLAN,
  freshFromFrame = playheadFrame,
): ChunkPlan {
  const playhead = Math.max(0, Math.min(Math.floor(playheadFrame), totalFrames));
  const freshFrom = Math.max(playhead, Math.min(Math.floor(freshFromFrame), totalFrames));
  const behind = Math.round(options.behindS * sampleRate);
  const { inRun, runEnd } = runAt(held, playhead, freshFrom);
  // Spans that end just before the playhead (what played) are kept a while, if contiguous.
  const evict: number[] = [];
  held.forEach((span, i) => {
    if (inRun.has(i)) return;
    const justPlayed = span.end <= playhead && span.end > playhead - behind && runEnd !== null;
    if (!justPlayed) evict.push(i);
  });
  const from = runEnd ?? freshFrom;
  const horizon = playhead + Math.round(options.aheadS * sampleRate);
  if (from >= totalFrames || from >= horizon) return { fetch: null, evict };
  const readyAhead = runEnd === null ? 0 : runEnd - Math.max(playhead, freshFrom);
  const size = Math.min(Math.round(options.chunkS * sampleRate), Math.max(Math.round(options.firstChunkS * sampleRate), readyAhead));
  return { fetch: { start: from, end: Math.min(totalFrames, from + Math.max(1, size)) }, evict };
}

/**
 * The run: spans chained end-to-start from the one holding `playhead` (or, when none does, the
 * earliest one starting after it by `freshFrom`), and where it ends (null: no run).
 */
function runAt(held: readonly FrameSpan[], playhead: number, freshFrom: number): { inRun: Set<number>; runEnd: number | null } {
  const inRun = new Set<number>();
  let runEnd: number | null = null;
  let cursor = held.findIndex((s) => s.start <= playhead && playhead < s.end);
  if (cursor === -1) {
    held.forEach((s, i) => {
      if (s.start > playhead && s.start <= freshFrom && (cursor === -1 || s.start < held[cursor]!.start)) cursor = i;
    });
  }
  while (cursor !== -1) {
    inRun.add(cursor);
    runEnd = held[cursor]!.end;
    const end = runEnd;
    cursor = held.findIndex((s, i) => !inRun.has(i) && s.start === end);
  }
  return { inRun, runEnd };
}

/**
 * Indexes of the held spans to hand to playback: the run at the playhead (as {@link planChunks}
 * builds it) once it reaches `leadFrames` past the playhead (the next fetch lands before it runs
 * out) or the track's end, or once a part of it was handed out (`released`). A run started late
 * on a short first piece (a start from 0 on a slow link plays the 0.37 s the head held) would
 * otherwise play a moment, fall silent while the next piece comes, and resume: it starts a little
 * later instead, in sync and without a gap.
 */
export function playableSpans(
  held: readonly FrameSpan[],
  playheadFrame: number,
  freshFromFrame: number,
  leadFrames: number,
  totalFrames: number,
  released: (index: number) => boolean,
): number[] {
  const playhead = Math.max(0, Math.min(Math.floor(playheadFrame), totalFrames));
  const { inRun, runEnd } = runAt(held, playhead, Math.max(playhead, Math.floor(freshFromFrame)));
  const run = [...inRun];
  const ready = runEnd !== null && (runEnd - playhead >= leadFrames || runEnd >= totalFrames || run.some(released));
  return held.map((_, i) => i).filter((i) => released(i) || (ready && inRun.has(i)));
}
