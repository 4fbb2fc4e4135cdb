/**
 * A streamed {@link TrackSource} for any format whose spans decode on their own: the chunk plan
 * picks the next span around the playhead, `decodeSpan` fetches and decodes it (one at a time; a
 * seek aborts the stale one), played spans are evicted. The format supplies only `decodeSpan`.
 */
import { planChunks, type ChunkPlanOptions, type FrameSpan } from "./chunk-plan.js";
import type { DecodedChunk, TrackSource } from "./track-source.js";

/** Decodes track frames `[span.start, span.end)` (it may return fewer, from `span.start`). */
export type SpanDecoder = (span: FrameSpan, signal: AbortSignal) => Promise<DecodedChunk | null>;

/** The track's shape as the format's header gives it. */
export interface StreamShape {
  readonly sampleRate: number;
  readonly totalFrames: number;
}

/** A windowed source over `decodeSpan`; `first` is a chunk decoded already (from the head). */
export function windowedSource(shape: StreamShape, decodeSpan: SpanDecoder, onChunk: () => void, plan: ChunkPlanOptions, first: DecodedChunk | null = null): TrackSource {
  let chunks: DecodedChunk[] = first ? [first] : [];
  let inFlight: { span: FrameSpan; abort: AbortController } | null = null;
  let disposed = false;

  const fetchChunk = (span: FrameSpan) => {
    const abort = new AbortController();
    inFlight = { span, abort };
    decodeSpan(span, abort.signal).then(
      (chunk) => {
        if (disposed || inFlight?.abort !== abort) return;
        inFlight = null;
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
    held: () => chunks,
    pump(playheadFrame) {
      if (disposed) return;
      const spans: FrameSpan[] = inFlight ? [...chunks, inFlight.span] : chunks;
      const decision = planChunks(spans, playheadFrame, shape.totalFrames, shape.sampleRate, plan);
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
