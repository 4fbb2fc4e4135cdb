/**
 * An M4A's AAC-LC track streamed by HTTP range: a span is fetched as the raw AAC frames that hold
 * it plus {@link PRIMING_FRAMES} before (AAC frames overlap by half through the MDCT: a decoder
 * started cold gets its first frame wrong), each wrapped in an ADTS header from the
 * AudioSpecificConfig, decoded by `decodeAudioData` as an ADTS stream of its own and cut to the
 * exact samples. An ADTS decode drops nothing, so decoded sample `j` is stream sample
 * (first frame × 1024 + `j`), and track sample 0 is stream sample `leadingTrim` (the edit list's
 * encoder delay, which the browser trims from a whole M4A the same way).
 *
 * Frame offsets come from the sample table: the chunk offsets (read with the `moov`) plus the
 * sizes of the frames before in the same chunk, read from the `stsz` by range in blocks as the
 * playhead needs them (an encoder may put every frame in one chunk, so a seek far into the file
 * reads the sizes up to it: 4 bytes a frame, 465 KB at 45 minutes).
 */
import type { FrameSpan } from "./chunk-plan.js";
import { adtsStream } from "./mp4.js";
import { AAC_FRAME_SAMPLES, type Mp4AacTrack, type RangeReader } from "./mp4-moov.js";
import type { DecodedChunk, TrackSource } from "./track-source.js";
import { windowedSource, type StreamInput } from "./windowed-source.js";

/** Frames decoded before a span and dropped. */
export const PRIMING_FRAMES = 2;
/** Sample sizes read at least this many at a time (16 KB of `stsz`, 95 s of 44.1 kHz audio). */
const SIZE_BLOCK = 4096;

/** Where frames are in the file, learnt in order from the sample sizes. */
export interface FrameTable {
  /** Makes `offset`/`size` valid for every frame before `frames`. */
  ensure(frames: number): Promise<void>;
  offset(frame: number): number;
  size(frame: number): number;
}

/** The frame table of `track`, reading the sizes by `reader`. */
export function frameTable(track: Mp4AacTrack, reader: RangeReader): FrameTable {
  const { chunks, frameCount } = track;
  const sizes = new Uint32Array(frameCount);
  const offsets = new Float64Array(frameCount);
  let known = 0;
  let chunk = 0;
  const load = async (frames: number) => {
    if (frames <= known) return;
    const to = Math.min(frameCount, Math.max(frames, known + SIZE_BLOCK));
    if ("constant" in track.sizes) sizes.fill(track.sizes.constant, known, to);
    else {
      const bytes = await reader.bytes(track.sizes.entriesAt + 4 * known, track.sizes.entriesAt + 4 * to);
      const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let i = known; i < to; i++) sizes[i] = data.getUint32(4 * (i - known));
    }
    for (let i = known; i < to; i++) {
      while (chunk + 1 < chunks.offset.length && chunks.firstSample[chunk + 1]! <= i) chunk++;
      offsets[i] = i === chunks.firstSample[chunk] ? chunks.offset[chunk]! : offsets[i - 1]! + sizes[i - 1]!;
    }
    known = to;
  };
  // One load at a time, in order: a failed one leaves `known` where it was for the next.
  let loading: Promise<void> = Promise.resolve();
  return {
    ensure(frames) {
      loading = loading.catch(() => undefined).then(() => load(frames));
      return loading;
    },
    offset: (frame) => offsets[frame]!,
    size: (frame) => sizes[frame]!,
  };
}

/** Stream frames `[first, end)` to decode for track samples `[span.start, span.end)`. */
export function aacFramesFor(span: FrameSpan, leadingTrim: number, frameCount: number): { first: number; end: number } {
  const wanted = Math.floor((span.start + leadingTrim) / AAC_FRAME_SAMPLES);
  return { first: Math.max(0, wanted - PRIMING_FRAMES), end: Math.min(frameCount, Math.ceil((span.end + leadingTrim) / AAC_FRAME_SAMPLES)) };
}

export function aacSource(track: Mp4AacTrack, reader: RangeReader, { url, download, ctx, decode, onChunk, plan }: StreamInput): TrackSource {
  const table = frameTable(track, reader);

  const decodeSpan = async (span: FrameSpan, signal: AbortSignal): Promise<DecodedChunk | null> => {
    const { first, end } = aacFramesFor(span, track.leadingTrim, track.frameCount);
    if (end <= first) return null;
    await table.ensure(end);
    let from = Infinity;
    let to = 0;
    for (let f = first; f < end; f++) {
      from = Math.min(from, table.offset(f));
      to = Math.max(to, table.offset(f) + table.size(f));
    }
    const response = await download(url, { headers: { Range: `bytes=${from}-${to - 1}` }, signal });
    if (response.status !== 206) throw new Error(`HTTP ${response.status} for a range`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const frames: Uint8Array[] = [];
    for (let f = first; f < end; f++) frames.push(bytes.subarray(table.offset(f) - from, table.offset(f) - from + table.size(f)));
    const decoded = await decode(adtsStream(track.config, frames).buffer);
    const firstSample = first * AAC_FRAME_SAMPLES - track.leadingTrim;
    const skip = span.start - firstSample;
    const count = Math.min(span.end, track.totalFrames, firstSample + decoded.length) - span.start;
    if (skip < 0 || count <= 0) return null;
    const buffer = ctx.createBuffer(decoded.numberOfChannels, count, decoded.sampleRate);
    for (let c = 0; c < decoded.numberOfChannels; c++) buffer.copyToChannel(decoded.getChannelData(c).subarray(skip, skip + count), c);
    return { start: span.start, end: span.start + count, buffer };
  };

  return windowedSource({ sampleRate: track.sampleRate, totalFrames: track.totalFrames }, decodeSpan, onChunk, plan);
}
