import { DEFAULT_CHUNK_PLAN, type ChunkPlanOptions, type FrameSpan } from "./chunk-plan.js";
import { fetchFrameIndex, openCompressedSource } from "./compressed-source.js";
import { linkedFrameIndexUrl } from "./mp3-frame-index.js";
import type { DecodeStats } from "./span-decode.js";
import { decodeWavSamples, parseWavHeader, wavByteRange, type WavInfo } from "./wav.js";
import { monotonicMs, windowedSource, type SpanDecoder } from "./windowed-source.js";
import { fetchByteRange } from "./byte-range.js";

/** Downloads (part of) a track; `init` carries the Range header. */
export type TrackFetch = (url: string, init?: RequestInit) => Promise<Response>;

/** Decoded frames `[start, end)` of the track, ready to play. */
export interface DecodedChunk extends FrameSpan {
  readonly buffer: AudioBuffer;
}

/**
 * A track as decoded pieces: either streamed (a window of chunks around the playhead, fetched by
 * HTTP range) or, for formats not cut here, one whole decoded buffer. Frames count from the
 * track's sample 0 at `sampleRate`.
 */
export interface TrackSource {
  readonly sampleRate: number;
  readonly totalFrames: number;
  readonly streaming: boolean;
  /** Chunks decoded now. */
  held(): readonly DecodedChunk[];
  /**
   * How long (s) a fetch started now is expected to take to land (0 for a whole source): a run
   * that must start afresh starts this far ahead of the playhead.
   */
  readonly fetchLeadS: number;
  /**
   * Keeps the window around `playheadFrame` filled (fetches in the background); a new run starts
   * at `freshFromFrame` (see `planChunks`).
   */
  pump(playheadFrame: number, freshFromFrame?: number): void;
  /** How its spans decode (a compressed streamed source; absent for WAV and whole-file sources). */
  readonly decoding?: DecodeStats;
  /** Drops every decoded chunk and cancels fetches. */
  dispose(): void;
}

/** How much of a file is read to find a WAV's data chunk (a large LIST/INFO chunk may come first). */
const HEAD_BYTES = 64 * 1024;
/**
 * Opens `url`: a range request for the head decides the format. A PCM/float WAV, an MP3, a
 * FLAC and an Ogg Opus stream (compressed-source.ts); any other format (or a server ignoring Range) is
 * downloaded and decoded whole. `onChunk` fires when a streamed chunk is ready.
 */
export async function openTrackSource(
  url: string,
  ctx: BaseAudioContext,
  download: TrackFetch,
  onChunk: () => void,
  plan: ChunkPlanOptions = DEFAULT_CHUNK_PLAN,
): Promise<TrackSource> {
  const headStartedMs = monotonicMs();
  const head = await download(url, { headers: { Range: `bytes=0-${HEAD_BYTES - 1}` } });
  if (!head.ok) throw new Error(`HTTP ${head.status}`);
  const total = head.status === 206 ? totalFromContentRange(head.headers.get("content-range")) : null;
  if (total !== null) {
    // Fetched while the head's body arrives: a seek into a VBR MP3 needs it before its first range.
    const frameIndex = fetchFrameIndex(linkedFrameIndexUrl(head.headers.get("link"), url), download);
    const headBytes = new Uint8Array(await head.arrayBuffer());
    const info = parseWavHeader(headBytes, total);
    if (info && info.frames > 0) return wavSource(url, info, headBytes, monotonicMs() - headStartedMs, ctx, download, onChunk, plan);
    const compressed = await openCompressedSource({ url, head: headBytes, fileSize: total, frameIndex }, ctx, download, onChunk, plan);
    if (compressed) return compressed;
    const whole = await download(url);
    if (!whole.ok) throw new Error(`HTTP ${whole.status}`);
    return wholeSource(await ctx.decodeAudioData(await whole.arrayBuffer()));
  }
  // A 200: the server sent the whole file; decode what we already have.
  return wholeSource(await ctx.decodeAudioData(await head.arrayBuffer()));
}

/** `bytes a-b/size` → size; null when absent or unknown (`*`). */
export function totalFromContentRange(header: string | null): number | null {
  const match = header ? /\/(\d+)\s*$/.exec(header) : null;
  return match ? Number(match[1]) : null;
}

function wholeSource(buffer: AudioBuffer): TrackSource {
  let chunks: DecodedChunk[] = [{ start: 0, end: buffer.length, buffer }];
  return {
    sampleRate: buffer.sampleRate,
    totalFrames: buffer.length,
    streaming: false,
    fetchLeadS: 0,
    held: () => chunks,
    pump: () => undefined,
    dispose: () => {
      chunks = [];
    },
  };
}

function wavSource(
  url: string,
  info: WavInfo,
  headBytes: Uint8Array,
  headFetchMs: number,
  ctx: BaseAudioContext,
  download: TrackFetch,
  onChunk: () => void,
  plan: ChunkPlanOptions,
): TrackSource {
  const toChunk = (start: number, samples: Float32Array<ArrayBuffer>[]): DecodedChunk | null => {
    const frames = Math.min(samples[0]?.length ?? 0, info.frames - start);
    if (frames <= 0) return null;
    // The buffer keeps the file's own rate: Web Audio resamples on playback, and frame indexes
    // stay the file's, so chunk boundaries are exact sample positions.
    const buffer = ctx.createBuffer(info.channels, frames, info.sampleRate);
    samples.forEach((channel, i) => buffer.copyToChannel(channel.subarray(0, frames), i));
    return { start, end: start + frames, buffer };
  };
  const decodeSpan: SpanDecoder = async (span, signal) => {
    const { start, end } = wavByteRange(info, span.start, span.end - span.start);
    return toChunk(span.start, decodeWavSamples(info, await fetchByteRange(download, url, start, end, signal)));
  };
  // The head's samples are the first chunk already: a start from 0 needs no second round trip.
  const first = toChunk(0, decodeWavSamples(info, headBytes.subarray(info.dataOffset)));
  return windowedSource({ sampleRate: info.sampleRate, totalFrames: info.frames }, decodeSpan, onChunk, plan, first, headFetchMs);
}
