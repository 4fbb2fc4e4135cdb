/**
 * The bookkeeping that says which track position plays at which audio-context time, across rate
 * changes, and its inverse: the context time a given sample frame is due. Chunks scheduled from
 * the inverse at exact frame indexes abut with no gap and no overlap.
 */

/** From context time `fromContextS` on, the track renders from `positionMs` at `rate`. */
export interface RateSpan {
  readonly fromContextS: number;
  readonly positionMs: number;
  readonly rate: number;
}

/** The span in force at context time `c` (the first one before it starts). */
function spanAt(spans: readonly RateSpan[], c: number): RateSpan {
  let span = spans[0]!;
  for (const s of spans) if (s.fromContextS <= c) span = s;
  return span;
}

/** Track position (ms) rendered at context time `c`. */
export function positionAt(spans: readonly RateSpan[], c: number): number {
  const span = spanAt(spans, c);
  return span.positionMs + (c - span.fromContextS) * 1000 * span.rate;
}

/** The context time at which position `positionMs` renders (rates are positive, so it is unique). */
export function contextTimeOf(spans: readonly RateSpan[], positionMs: number): number {
  let span = spans[0]!;
  for (const s of spans) if (s.positionMs <= positionMs) span = s;
  return span.fromContextS + (positionMs - span.positionMs) / (1000 * span.rate);
}

/** How one chunk source is started: `node.start(when, offsetS)` at `rate`, or not at all. */
export interface ChunkStart {
  readonly when: number;
  /** Seconds into the chunk's buffer (non-zero when its first frames are already past). */
  readonly offsetS: number;
}

/**
 * When the chunk holding frames `[startFrame, endFrame)` at `sampleRate` is due, given the
 * session's spans: its first frame's context time, or (when that is before `earliest`, as on a
 * late join or after a stall) `earliest` with the offset that belongs there. Null when the chunk
 * has played out by `earliest`, or lies before the session's start.
 */
export function chunkStart(
  spans: readonly RateSpan[],
  startFrame: number,
  endFrame: number,
  sampleRate: number,
  earliest: number,
): ChunkStart | null {
  const startMs = (startFrame / sampleRate) * 1000;
  const endMs = (endFrame / sampleRate) * 1000;
  const sessionStart = spans[0]!;
  const from = Math.max(earliest, sessionStart.fromContextS);
  const due = contextTimeOf(spans, startMs);
  if (due >= from && startMs >= sessionStart.positionMs) return { when: due, offsetS: 0 };
  const positionThen = positionAt(spans, from);
  if (positionThen >= endMs) return null;
  return { when: from, offsetS: Math.max(0, positionThen - startMs) / 1000 };
}

/** The rate in force at context time `c`. */
export function rateAt(spans: readonly RateSpan[], c: number): number {
  return spanAt(spans, c).rate;
}
