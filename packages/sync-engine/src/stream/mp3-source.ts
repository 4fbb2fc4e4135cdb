/**
 * An MP3 streamed by HTTP range: each span of the track is fetched as the frames that hold it,
 * plus a few frames before (the bit reservoir and the MDCT overlap reach back into earlier
 * frames, so a decoder started cold gets those wrong), decoded (span-decode.ts: the frames by
 * `AudioDecoder`, or as a small MP3 of its own by `decodeAudioData`), and cut to the exact
 * samples. The span decodes identically to the same samples of the whole file (e2e/media-formats
 * checks it in Chromium and Firefox), gapless trim included. Where a frame is in the file:
 * exact for CBR (arithmetic) and for any file with a frame index (mp3-frame-index.ts); from the
 * Xing TOC, approximate, for a VBR file without one.
 */
import type { ChunkPlanOptions, FrameSpan } from "./chunk-plan.js";
import type { FrameIndexLookup } from "./mp3-frame-index.js";
import { frameIndexAt, frameOffsetEstimate, type Mp3Layout } from "./mp3-layout.js";
import { findFrames, parseMpegFrameHeader } from "./mpeg-audio.js";
import type { DecodedChunk, TrackFetch, TrackSource } from "./track-source.js";
import type { CodedSpan, TrackDecoder } from "./span-decode.js";
import { windowedSource } from "./windowed-source.js";
import { fetchByteRange } from "./byte-range.js";

/** The furthest back the bit reservoir reaches (main_data_begin is 9 bits). */
const RESERVOIR_BYTES = 511;
/** Frame offsets remembered (those at the edges of decoded spans), so the next span starts exactly. */
const MAX_ANCHORS = 2048;

export function mp3Source(
  url: string,
  layout: Mp3Layout,
  head: { readonly bytes: Uint8Array; readonly offset: number },
  index: FrameIndexLookup | null,
  download: TrackFetch,
  decode: TrackDecoder,
  onChunk: () => void,
  plan: ChunkPlanOptions,
): TrackSource {
  const spf = layout.samplesPerFrame;
  const averageBytes = (layout.audioEnd - layout.audioStart) / Math.max(1, layout.frameCount);
  const priming = 2 + Math.ceil(RESERVOIR_BYTES / averageBytes);
  /** Frame index → file offset, and back, for frame boundaries seen. */
  const offsetOf = new Map<number, number>();
  const frameAt = new Map<number, number>();
  const remember = (frame: number, offset: number) => {
    if (frameAt.has(offset)) return;
    if (offsetOf.size >= MAX_ANCHORS) {
      const [oldest] = offsetOf;
      offsetOf.delete(oldest![0]);
      frameAt.delete(oldest![1]);
    }
    offsetOf.set(frame, offset);
    frameAt.set(offset, frame);
  };
  remember(0, layout.audioStart);

  const readBytes = async (from: number, to: number, signal: AbortSignal): Promise<Uint8Array> => {
    const headEnd = head.offset + head.bytes.length;
    if (from >= head.offset && to <= headEnd) return head.bytes.subarray(from - head.offset, to - head.offset);
    return fetchByteRange(download, url, from, to, signal);
  };

  const decodeSpan = async (span: FrameSpan, signal: AbortSignal): Promise<DecodedChunk | null> => {
    const wanted = Math.floor((span.start + layout.leadingTrim) / spf);
    const end = Math.min(layout.frameCount, Math.ceil((span.end + layout.leadingTrim) / spf));
    const primed = Math.max(0, wanted - priming);
    // The range starts at a frame whose index is known (one seen, else an indexed one) or, with
    // neither, a little before the estimate.
    const known = offsetOf.get(primed);
    const anchor = known !== undefined ? { frame: primed, offset: known } : (index?.atOrBefore(primed) ?? null);
    const from = anchor?.offset ?? Math.max(layout.audioStart, Math.floor(frameOffsetEstimate(layout, primed) - 2 * averageBytes));
    const margin = layout.cbrFrameBytes === null ? (end - primed) * averageBytes * 0.5 + 4 * averageBytes : 2 * averageBytes;
    const to = Math.min(layout.audioEnd, Math.ceil(offsetOf.get(end) ?? index?.offsetAtOrAfter(end) ?? frameOffsetEstimate(layout, end) + margin));
    const bytes = await readBytes(from, to, signal);
    const found = findFrames(bytes).map((at) => at + from);
    if (found.length === 0) return null;
    const firstIndex = frameAt.get(found[0]!) ?? (anchor && found[0] === anchor.offset ? anchor.frame : frameIndexAt(layout, found[0]!));
    if (firstIndex > wanted) throw new Error(`MP3 range starts at frame ${firstIndex}, after ${wanted}`);
    const take = found.map((offset, i) => ({ offset, frame: firstIndex + i })).filter((f) => f.frame >= primed && f.frame < end);
    if (take.length === 0) return null;
    for (const f of [...take.slice(0, 1), ...take.slice(-2 * priming)]) remember(f.frame, f.offset);
    const last = take.at(-1)!;
    const lastEnd = last.offset + parseMpegFrameHeader(bytes, last.offset - from)!.frameBytes;
    remember(last.frame + 1, lastEnd);
    // Decoded sample j is stream sample (first frame × spf + j); track sample = stream − trim.
    const frames = take.map((f, i) => bytes.subarray(f.offset - from, (take[i + 1]?.offset ?? lastEnd) - from));
    const coded: CodedSpan = {
      firstSample: take[0]!.frame * spf - layout.leadingTrim,
      frames,
      frameSamples: frames.map(() => spf),
      file: () => bytes.slice(take[0]!.offset - from, lastEnd - from).buffer,
      fileDropped: () => 0,
    };
    return decode.decode(coded, span, layout.totalFrames, signal);
  };

  return Object.assign(windowedSource({ sampleRate: layout.sampleRate, totalFrames: layout.totalFrames }, decodeSpan, onChunk, plan), { decoding: decode.stats });
}
