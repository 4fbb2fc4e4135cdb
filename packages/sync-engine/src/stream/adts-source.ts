/**
 * An ADTS AAC file streamed by HTTP range (M21). ADTS has no length, no frame table and no
 * encoder-delay metadata, and its frames vary in size, so it streams only with the server's frame
 * index (the offset of every 32nd frame, scanned at upload): a span is fetched from the indexed
 * frame at or before its first frame (less {@link PRIMING_FRAMES}) to the indexed frame after it,
 * walked header to header to those frames, and decoded as an M4A span is (`aacCodedSpan`: their
 * access units by `AudioDecoder`, or the ADTS bytes as they are by `decodeAudioData`, the frame it
 * drops at a stream's start read from the decoded length).
 *
 * Track sample 0 is stream sample {@link ADTS_PRIMING_SAMPLES}: the priming of ffmpeg's AAC
 * encoder (and of most others), which an M4A names in its edit list and ADTS cannot. The length is
 * the frames' samples less that; the encoder's padding at the end is unknown and plays.
 */
import type { Mp3FrameIndex } from "@sync-beats/protocol";
import { aacCodedSpan, aacFramesFor } from "./aac-source.js";
import { continuingAdtsHeader, type AdtsHeader } from "./adts.js";
import { fetchByteRange } from "./byte-range.js";
import type { FrameSpan } from "./chunk-plan.js";
import { AAC_FRAME_SAMPLES } from "./mp4-moov.js";
import { frameIndexLookup } from "./mp3-frame-index.js";
import type { DecodedChunk, TrackSource } from "./track-source.js";
import { windowedSource, type StreamInput } from "./windowed-source.js";

/** Samples of encoder priming assumed at an ADTS stream's start (ffmpeg's `aac`, and most encoders). */
export const ADTS_PRIMING_SAMPLES = 1024;

/** Channels an ADTS channel configuration decodes to (7 is 7.1). */
export const adtsChannels = (header: AdtsHeader): number => (header.channelConfig === 7 ? 8 : header.channelConfig);

/** The streamed source of the ADTS stream whose first header is `first`, placed by `index`. */
export function adtsSource(first: AdtsHeader, index: Mp3FrameIndex, { url, download, decode, onChunk, plan }: StreamInput): TrackSource {
  const lookup = frameIndexLookup(index);
  const track = { leadingTrim: ADTS_PRIMING_SAMPLES, totalFrames: Math.max(0, index.frameCount * AAC_FRAME_SAMPLES - ADTS_PRIMING_SAMPLES) };

  const decodeSpan = async (span: FrameSpan, signal: AbortSignal): Promise<DecodedChunk | null> => {
    const frames = aacFramesFor(span, track.leadingTrim, index.frameCount);
    if (frames.end <= frames.first) return null;
    const anchor = lookup.atOrBefore(frames.first);
    const bytes = await fetchByteRange(download, url, anchor.offset, lookup.offsetAtOrAfter(frames.end), signal);
    /** The access units of `count` frames walked from `from`, and the offset just past them. */
    const walk = (from: number, count: number) => {
      const units: Uint8Array[] = [];
      let at = from;
      for (let k = 0; k < count; k++) {
        const header = continuingAdtsHeader(bytes, at, first);
        if (!header) throw new Error(`no ADTS frame at ${anchor.offset + at}: the index does not fit the file`);
        units.push(bytes.subarray(at + header.headerBytes, at + header.frameBytes));
        at += header.frameBytes;
      }
      return { units, end: at };
    };
    const from = walk(0, frames.first - anchor.frame).end;
    const { units, end } = walk(from, frames.end - frames.first);
    const coded = aacCodedSpan(units, frames.first, track.leadingTrim, () => bytes.slice(from, end).buffer);
    return decode.decode(coded, span, track.totalFrames, signal);
  };

  return Object.assign(windowedSource({ sampleRate: first.sampleRate, totalFrames: track.totalFrames }, decodeSpan, onChunk, plan), { decoding: decode.stats });
}
