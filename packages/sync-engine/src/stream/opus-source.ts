/**
 * An Ogg Opus file streamed by HTTP range: each span is fetched as whole pages from one that
 * starts at least {@link PREROLL} before it (an Opus decoder started cold needs 80 ms to converge,
 * RFC 7845 §4.6), decoded (span-decode.ts) as those pages' packets by `AudioDecoder`, or as an Ogg
 * Opus file of its own (the file's header pages, then those pages) by `decodeAudioData`, and cut to
 * the exact samples. Either decoder drops `preSkip` samples at the start of every span, as at
 * the start of the track, so decoded sample `j` is track sample (first page's start granule + `j`). Opus always decodes at 48 kHz.
 */
import type { FrameSpan } from "./chunk-plan.js";
import { findOggPages, pageStartGranule, type OpusHead } from "./ogg-opus.js";
import { opusPackets } from "./ogg-packets.js";
import type { CodedSpan } from "./span-decode.js";
import type { DecodedChunk, TrackSource } from "./track-source.js";
import { windowedSource, type StreamInput } from "./windowed-source.js";
import { fetchByteRange } from "./byte-range.js";

export const OPUS_RATE = 48_000;
/** Samples decoded before a span and dropped (RFC 7845 recommends 80 ms of pre-roll). */
const PREROLL = 3840;
/** Bytes a range estimated from the average bitrate starts early and ends late, at least. */
const MIN_MARGIN = 16 * 1024;
/** Tries with an earlier start when an estimated range held no page early enough. */
const TRIES = 4;

export function opusSource(head: OpusHead, totalFrames: number, { url, fileSize, download, decode, onChunk, plan }: StreamInput): TrackSource {
  const bytesPerSample = (fileSize - head.audioStart) / Math.max(1, totalFrames);
  /** An Ogg page holds up to about a second: the margin covers two of them at the average rate. */
  const margin = Math.max(MIN_MARGIN, Math.ceil(2 * OPUS_RATE * bytesPerSample));
  const estimate = (sample: number) => head.audioStart + Math.floor(Math.max(0, sample) * bytesPerSample);

  const decodeSpan = async (span: FrameSpan, signal: AbortSignal): Promise<DecodedChunk | null> => {
    const wantFrom = Math.max(0, span.start - PREROLL);
    let early = margin;
    for (let attempt = 0; attempt < TRIES; attempt++, early *= 4) {
      const from = wantFrom === 0 ? head.audioStart : Math.max(head.audioStart, estimate(wantFrom) - early);
      const to = Math.min(fileSize, estimate(span.end) + early);
      const bytes = await fetchByteRange(download, url, from, to, signal);
      const pages = findOggPages(bytes);
      // The latest page that starts (with a packet of its own) by the pre-roll's first sample.
      let first = -1;
      pages.forEach((page, i) => {
        const start = pageStartGranule(bytes, page);
        if (start !== null && start <= wantFrom) first = i;
      });
      if (first === -1) continue;
      const lastAt = pages.findIndex((p, i) => i >= first && p.granule - head.preSkip >= span.end);
      const last = pages[lastAt === -1 ? pages.length - 1 : lastAt]!;
      const startGranule = pageStartGranule(bytes, pages[first]!)!;
      const taken = pages.slice(first, pages.indexOf(last) + 1);
      const coded: CodedSpan = {
        firstSample: startGranule - head.preSkip,
        ...opusPackets(bytes, taken),
        file: () => {
          const file = new Uint8Array(head.headerPages.length + last.end - pages[first]!.offset);
          file.set(head.headerPages);
          file.set(bytes.subarray(pages[first]!.offset, last.end), head.headerPages.length);
          return file.buffer;
        },
        // decodeAudioData drops `preSkip` at the start of every Ogg Opus file, as at the track's start.
        fileDropped: () => head.preSkip,
      };
      return decode.decode(coded, span, totalFrames, signal);
    }
    throw new Error(`no Ogg page starts by sample ${wantFrom}`);
  };

  return Object.assign(windowedSource({ sampleRate: OPUS_RATE, totalFrames }, decodeSpan, onChunk, plan), { decoding: decode.stats });
}
