/**
 * A streamed {@link TrackSource} for any format whose spans decode on their own: the chunk plan
 * picks the next span around the playhead, `decodeSpan` fetches and decodes it (one at a time; a
 * seek aborts the stale one), played spans are evicted, and a run is handed to playback once it
 * reaches a fetch lead ahead (`playableSpans`). The format supplies only `decodeSpan`.
 */
import { planChunks, playableSpans, type ChunkPlanOptions, type FrameSpan } from "./chunk-plan.js";
import type { TrackDecoder } from "./span-decode.js";
import type { DecodedChunk, TrackFetch, TrackSource } from "./track-source.js";

/** Decodes track frames `[span.start, span.end)` (it may return fewer, from `span.start`). */
export type SpanDecoder = (span: FrameSpan, signal: AbortSignal) => Promise<DecodedChunk | null>;

/** What a compressed format's streamed source works with, besides what its header says. */
export interface StreamInput {
  readonly url: string;
  readonly fileSize: number;
  readonly download: TrackFetch;
  /** The track's decoder (span-decode.ts): WebCodecs or `decodeAudioData`, chosen once. */
  readonly decode: TrackDecoder;
  readonly onChunk: () => void;
  readonly plan: ChunkPlanOptions;
}

/** The track's shape as the format's header gives it. */
export interface StreamShape {
  readonly sampleRate: number;
  readonly totalFrames: number;
}

/** The fetch lead is this many times the slowest of the last {@link LEAD_FETCHES} fetches... */
const LEAD_FACTOR = 1.5;
const LEAD_FETCHES = 4;
/** ...and never more than this (s): a link that slow cannot keep up anyway. */
const MAX_LEAD_S = 3;

/** Milliseconds of a monotonic clock (fetch durations only). */
export const monotonicMs = (): number => (typeof performance === "undefined" ? Date.now() : performance.now());

/**
 * A windowed source over `decodeSpan`; `first` is a chunk decoded already (from the head), and
 * `headFetchMs` how long the head took to arrive (the first sample of the fetch lead).
 */
export function windowedSource(
  shape: StreamShape,
  decodeSpan: SpanDecoder,
  onChunk: () => void,
  plan: ChunkPlanOptions,
  first: DecodedChunk | null = null,
  headFetchMs = 0,
): TrackSource {
  let chunks: DecodedChunk[] = first ? [first] : [];
  /** The one fetch in flight (a stale one, left behind by a seek, is aborted). */
  let inFlight: { span: FrameSpan; abort: AbortController } | null = null;
  let disposed = false;
  /** Durations (ms) of the latest fetches, newest last (the head's first). */
  const fetchMs: number[] = [headFetchMs];
  /** Chunks handed to playback (see `playableSpans`), and where the last pump put the playhead. */
  let released = new Set<DecodedChunk>();
  let position = { playhead: 0, freshFrom: 0 };
  const fetchLeadS = () => Math.min(MAX_LEAD_S, (LEAD_FACTOR * Math.max(...fetchMs)) / 1000);

  const fetchChunk = (span: FrameSpan) => {
    const abort = new AbortController();
    inFlight = { span, abort };
    const startedMs = monotonicMs();
    decodeSpan(span, abort.signal).then(
      (chunk) => {
        if (disposed || inFlight?.abort !== abort) return;
        inFlight = null;
        fetchMs.push(monotonicMs() - startedMs);
        if (fetchMs.length > LEAD_FETCHES) fetchMs.shift();
        if (!chunk || chunk.end <= chunk.start) return;
        chunks = [...chunks, chunk];
        onChunk();
      },
      () => {
        // A failed or aborted span is planned again on the next pump.
        if (inFlight?.abort === abort) inFlight = null;
      },
    );
  };

  return {
    sampleRate: shape.sampleRate,
    totalFrames: shape.totalFrames,
    streaming: true,
    get fetchLeadS() {
      return fetchLeadS();
    },
    held() {
      const lead = Math.round(fetchLeadS() * shape.sampleRate);
      const playable = playableSpans(chunks, position.playhead, position.freshFrom, lead, shape.totalFrames, (i) => released.has(chunks[i]!));
      released = new Set(playable.map((i) => chunks[i]!));
      return [...released];
    },
    pump(playheadFrame, freshFromFrame = playheadFrame) {
      if (disposed) return;
      position = { playhead: playheadFrame, freshFrom: freshFromFrame };
      const spans: FrameSpan[] = inFlight ? [...chunks, inFlight.span] : chunks;
      const decision = planChunks(spans, playheadFrame, shape.totalFrames, shape.sampleRate, plan, freshFromFrame);
      if (inFlight && decision.evict.includes(chunks.length)) {
        inFlight.abort.abort();
        inFlight = null;
      }
      if (decision.evict.length > 0) chunks = chunks.filter((_, i) => !decision.evict.includes(i));
      if (!inFlight && decision.fetch) fetchChunk(decision.fetch);
    },
    dispose() {
      disposed = true;
      inFlight?.abort.abort();
      inFlight = null;
      chunks = [];
    },
  };
}
