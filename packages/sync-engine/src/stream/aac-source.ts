/**
 * An M4A's AAC-LC track streamed by HTTP range: a span is fetched as the raw AAC frames that hold
 * it plus {@link PRIMING_FRAMES} before (AAC frames overlap by half through the MDCT: a decoder
 * started cold gets its first frame wrong), decoded (span-decode.ts) as raw access units by
 * `AudioDecoder`, or each wrapped in an ADTS header from the AudioSpecificConfig as an ADTS stream
 * by `decodeAudioData`, and cut to the exact samples. Decoded sample `j` is stream sample (first
 * frame × 1024 + dropped + `j`), where `dropped` is what the decoder left out at the start
 * (`AudioDecoder` and Chromium's `decodeAudioData`: nothing; Firefox's `decodeAudioData`: one frame),
 * and track sample 0 is stream sample `leadingTrim` (the edit list's encoder delay, which the
 * browser trims from a whole M4A the same way).
 *
 * Frame offsets: from the sample table read in order (the chunk offsets, read with the `moov`,
 * plus the sizes before in the chunk, from the `stsz` in blocks) near the start, or where the
 * table has reached; elsewhere (a late join, a seek) by the run search of aac-seek.ts, which
 * needs only the sizes of the frames wanted; then from the frames seen (anchors).
 */
import type { FrameSpan } from "./chunk-plan.js";
import { CHECKED_FRAMES, chunkOf, estimateFrameOffset, findFrameRun, firstElementBits } from "./aac-seek.js";
import { adtsStream } from "./mp4.js";
import { AAC_FRAME_SAMPLES, type Mp4AacTrack, type RangeReader } from "./mp4-moov.js";
import { droppedAtStart, type CodedSpan } from "./span-decode.js";
import type { DecodedChunk, TrackSource } from "./track-source.js";
import { windowedSource, type StreamInput } from "./windowed-source.js";
import { fetchByteRange } from "./byte-range.js";

/** Frames decoded before a span and dropped. */
export const PRIMING_FRAMES = 2;
/** Sample sizes read in order at least this many at a time (16 KB of `stsz`, 95 s of 44.1 kHz audio). */
const SIZE_BLOCK = 4096;
/** Frame offsets remembered from decoded spans (a span's next one starts among them). */
const MAX_ANCHORS = 2048;
/** How far around the interpolated offset the run search reads, widened on each miss. */
const SEARCH_MARGINS = [16 * 1024, 64 * 1024, 256 * 1024];
/** Fewer frames than this left in a chunk are not searched for (a short run could match by chance). */
const MIN_RUN = 8;

/** Where frames are in the file, learnt in order from the sample sizes. */
export interface FrameTable {
  /** Frames whose `offset`/`size` are valid (all before this). */
  readonly known: number;
  /** Makes `offset`/`size` valid for every frame before `frames`. */
  ensure(frames: number): Promise<void>;
  offset(frame: number): number;
  size(frame: number): number;
  /** The sizes of frames `[first, end)`, read by range where the table has not reached. */
  sizes(first: number, end: number, signal?: AbortSignal): Promise<Uint32Array>;
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
    get known() {
      return known;
    },
    async sizes(first, end, signal) {
      if (end <= known) return sizes.slice(first, end);
      if ("constant" in track.sizes) return new Uint32Array(end - first).fill(track.sizes.constant);
      const bytes = await reader.bytes(track.sizes.entriesAt + 4 * first, track.sizes.entriesAt + 4 * end, signal);
      const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return Uint32Array.from({ length: end - first }, (_, k) => data.getUint32(4 * k));
    },
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

/**
 * AAC frames from frame `first` (raw access units) as a span to decode (M13, M21); `file` gives
 * the same frames as an ADTS stream, the fallback's input.
 */
export function aacCodedSpan(frames: readonly Uint8Array[], first: number, leadingTrim: number, file: () => ArrayBuffer): CodedSpan {
  const frameSamples = frames.map(() => AAC_FRAME_SAMPLES);
  return {
    firstSample: first * AAC_FRAME_SAMPLES - leadingTrim,
    frames,
    frameSamples,
    file,
    // What decodeAudioData drops from an ADTS stream's start: nothing in Chromium, a frame in
    // Firefox ESR 153 (it assumes 1024 samples of priming in any ADTS stream); read from the decoded length.
    fileDropped: (decodedLength) => droppedAtStart(frameSamples, decodedLength),
  };
}

export function aacSource(track: Mp4AacTrack, reader: RangeReader, { url, download, decode, onChunk, plan }: StreamInput): TrackSource {
  const table = frameTable(track, reader);
  const element = firstElementBits(track.config.channelConfig);
  /** Frame → file offset, for frames of decoded spans. */
  const anchors = new Map<number, number>();
  const remember = (frame: number, offset: number) => {
    anchors.delete(frame);
    anchors.set(frame, offset);
    if (anchors.size > MAX_ANCHORS) anchors.delete(anchors.keys().next().value!);
  };
  const fetchBytes = (from: number, to: number, signal: AbortSignal) => fetchByteRange(download, url, from, to, signal);

  /** Bytes fetched by the last run search (the span's frames are usually among them). */
  let searched: { from: number; bytes: Uint8Array } | null = null;
  const bytesOf = (from: number, to: number, signal: AbortSignal) => {
    const hit = searched && from >= searched.from && to <= searched.from + searched.bytes.length ? searched : null;
    searched = null;
    return hit ? Promise.resolve(hit.bytes.subarray(from - hit.from, to - hit.from)) : fetchBytes(from, to, signal);
  };
  /** The offset of `frame` (not its chunk's first) found by the run search of `runSizes` (its and the next frames' sizes), or null. */
  const search = async (frame: number, runSizes: Uint32Array, spanLength: number, signal: AbortSignal) => {
    const estimate = estimateFrameOffset(track, frame);
    const chunkStart = track.chunks.offset[chunkOf(track, frame)]!;
    for (const margin of SEARCH_MARGINS) {
      const from = Math.max(chunkStart, Math.floor(estimate - margin));
      const bytes = await fetchBytes(from, Math.min(track.mediaEnd, Math.ceil(estimate + margin + spanLength)), signal);
      const at = findFrameRun(bytes, runSizes, element);
      if (at === -1) continue;
      searched = { from, bytes };
      return from + at;
    }
    return null;
  };

  /**
   * Frames `[first, end)` placed from a known offset (a remembered frame, a chunk's start, or the
   * run search) without the sizes before it; null to use the table read in order.
   */
  const placedFrames = async (first: number, end: number, signal: AbortSignal): Promise<Uint8Array[] | null> => {
    if (end <= table.known + SIZE_BLOCK) return null;
    const { firstSample, offset } = track.chunks;
    const c = chunkOf(track, first);
    // The frame placed first: `first`, or earlier, so that a run of CHECKED_FRAMES lies in its chunk.
    const anchor = Math.max(firstSample[c]!, Math.min(first, firstSample[c + 1]! - CHECKED_FRAMES));
    const runEnd = Math.min(firstSample[c + 1]!, anchor + CHECKED_FRAMES);
    const sizes = await table.sizes(anchor, Math.max(end, runEnd), signal);
    const at = new Float64Array(end - anchor + 1);
    at[0] = anchors.get(anchor) ?? (anchor === firstSample[c] ? offset[c]! : NaN);
    if (Number.isNaN(at[0])) {
      if (runEnd - anchor < MIN_RUN) return null;
      const spanLength = sizes.subarray(0, end - anchor).reduce((sum, n) => sum + n, 0);
      const found = await search(anchor, sizes.subarray(0, runEnd - anchor), spanLength, signal);
      if (found === null) return null;
      at[0] = found;
    }
    for (let f = anchor + 1, k = 1; f <= end; f++, k++) {
      const chunk = chunkOf(track, f);
      at[k] = f === firstSample[chunk] && chunk > c ? offset[chunk]! : at[k - 1]! + sizes[k - 1]!;
    }
    at.forEach((offsetOfFrame, k) => remember(anchor + k, offsetOfFrame));
    const from = at[first - anchor]!;
    let to = 0;
    for (let f = first; f < end; f++) to = Math.max(to, at[f - anchor]! + sizes[f - anchor]!);
    const bytes = await bytesOf(from, to, signal);
    return Array.from({ length: end - first }, (_, i) => bytes.subarray(at[first - anchor + i]! - from, at[first - anchor + i]! - from + sizes[first - anchor + i]!));
  };

  /** The same from the table read in order (always works; a far seek reads many sizes first). */
  const tableBytes = async (first: number, end: number, signal: AbortSignal) => {
    await table.ensure(end);
    let from = Infinity;
    let to = 0;
    for (let f = first; f < end; f++) {
      from = Math.min(from, table.offset(f));
      to = Math.max(to, table.offset(f) + table.size(f));
    }
    const bytes = await fetchBytes(from, to, signal);
    return Array.from({ length: end - first }, (_, k) => bytes.subarray(table.offset(first + k) - from, table.offset(first + k) - from + table.size(first + k)));
  };

  const decodeSpan = async (span: FrameSpan, signal: AbortSignal): Promise<DecodedChunk | null> => {
    const { first, end } = aacFramesFor(span, track.leadingTrim, track.frameCount);
    if (end <= first) return null;
    const frames = (await placedFrames(first, end, signal)) ?? (await tableBytes(first, end, signal));
    const coded = aacCodedSpan(frames, first, track.leadingTrim, () => adtsStream(track.config, frames).buffer);
    return decode.decode(coded, span, track.totalFrames, signal);
  };

  return Object.assign(windowedSource({ sampleRate: track.sampleRate, totalFrames: track.totalFrames }, decodeSpan, onChunk, plan), { decoding: decode.stats });
}
