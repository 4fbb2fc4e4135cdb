/**
 * An Ogg Opus file streamed by HTTP range: each span is fetched as whole pages from one that
 * starts at least {@link PREROLL} before it (an Opus decoder started cold needs 80 ms to converge,
 * RFC 7845 §4.6), decoded (span-decode.ts) as those pages' packets by `AudioDecoder`, or as an Ogg
 * Opus file of its own (the file's header pages, then those pages) by `decodeAudioData`, and cut to
 * the exact samples. Either decoder drops `preSkip` samples at the start of every span, as at
 * the start of the track, so decoded sample `j` is track sample (first page's start granule + `j`).
 * Opus always decodes at 48 kHz.
 *
 * Round trips are what a start costs on a slow link: the length comes from a small tail range,
 * a span the head's whole pages hold is cut from them with no fetch, and a span's range reaches
 * one page (the largest seen in the head) around the estimate instead of two seconds of audio
 * (M20).
 */
import type { FrameSpan } from "./chunk-plan.js";
import { findOggPages, lastGranule, pageStartGranule, type OpusHead } from "./ogg-opus.js";
import { opusPackets } from "./ogg-packets.js";
import type { CodedSpan } from "./span-decode.js";
import type { DecodedChunk, TrackSource } from "./track-source.js";
import { windowedSource, type StreamInput } from "./windowed-source.js";
import { fetchByteRange } from "./byte-range.js";

export const OPUS_RATE = 48_000;
/** Samples decoded before a span and dropped (RFC 7845 recommends 80 ms of pre-roll). */
const PREROLL = 3840;
/** Bytes a range estimated from the average bitrate starts early and ends late, at least. */
const MIN_MARGIN = 4 * 1024;
/** Tries with an earlier start (and later end) when an estimated range held too little. */
const TRIES = 4;
/** Bytes read from the end first: the last page of an encoder that pages by time is small. */
const TAIL_BYTES = 8 * 1024;
/** The largest Ogg page (27-byte header, 255 lacing values of 255): a last page is whole in this. */
export const MAX_PAGE_BYTES = 27 + 255 + 255 * 255;

/**
 * The track's length in samples from the last page's granule position (minus `preSkip`), read
 * from the file's last {@link TAIL_BYTES}, or its last {@link MAX_PAGE_BYTES} when the last page
 * is longer; null when no page is found there or the server refuses the range.
 */
export async function opusLength(head: OpusHead, { url, fileSize, download }: StreamInput): Promise<number | null> {
  for (const tailBytes of [TAIL_BYTES, MAX_PAGE_BYTES]) {
    const from = Math.max(head.audioStart, fileSize - tailBytes);
    const tail = await download(url, { headers: { Range: `bytes=${from}-${fileSize - 1}` } });
    if (tail.status !== 206) return null;
    const end = lastGranule(new Uint8Array(await tail.arrayBuffer()));
    if (end !== null) return end > head.preSkip ? end - head.preSkip : null;
    if (from === head.audioStart) return null;
  }
  return null;
}

/**
 * Bytes a range reaches around the estimated offset: the largest whole audio page in the head
 * (a page's start can be that far before a sample in it) and a quarter more for the bitrate's
 * swings, else (no whole page in the head) two seconds at the average rate.
 */
export function pageReach(headAudio: Uint8Array, bytesPerSample: number): number {
  const largest = Math.max(0, ...findOggPages(headAudio).map((p) => p.end - p.offset));
  return Math.max(MIN_MARGIN, largest > 0 ? Math.ceil(1.25 * largest) : Math.ceil(2 * OPUS_RATE * bytesPerSample));
}

/** The streamed source of an Ogg Opus file of `totalFrames` track samples whose first bytes are `headBytes`. */
export function opusSource(head: OpusHead, totalFrames: number, headBytes: Uint8Array, input: StreamInput): TrackSource {
  const { url, fileSize, download, decode, onChunk, plan } = input;
  const bytesPerSample = (fileSize - head.audioStart) / Math.max(1, totalFrames);
  const headAudio = headBytes.subarray(head.audioStart);
  const margin = pageReach(headAudio, bytesPerSample);
  const estimate = (sample: number) => head.audioStart + Math.floor(Math.max(0, sample) * bytesPerSample);

  /** Frames `span` from the whole pages in `bytes`, or null when they start after the pre-roll or end before the span. */
  const cut = async (bytes: Uint8Array, span: FrameSpan, signal: AbortSignal): Promise<DecodedChunk | null> => {
    const wantFrom = Math.max(0, span.start - PREROLL);
    const pages = findOggPages(bytes);
    // The latest page that starts (with a packet of its own) by the pre-roll's first sample.
    let first = -1;
    pages.forEach((page, i) => {
      const start = pageStartGranule(bytes, page);
      if (start !== null && start <= wantFrom) first = i;
    });
    if (first === -1 || Math.max(...pages.map((p) => p.granule)) - head.preSkip <= span.start) return null;
    const lastAt = pages.findIndex((p, i) => i >= first && p.granule - head.preSkip >= span.end);
    const last = pages[lastAt === -1 ? pages.length - 1 : lastAt]!;
    const startGranule = pageStartGranule(bytes, pages[first]!)!;
    const coded: CodedSpan = {
      firstSample: startGranule - head.preSkip,
      ...opusPackets(bytes, pages.slice(first, pages.indexOf(last) + 1)),
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
  };

  /** Where the head's whole pages end (track samples; ≤ 0: they hold no audio). */
  const headEnd = Math.max(-1, ...findOggPages(headAudio).map((p) => p.granule)) - head.preSkip;

  const decodeSpan = async (span: FrameSpan, signal: AbortSignal): Promise<DecodedChunk | null> => {
    // A start from 0 (or anywhere the head reaches) needs no second round trip.
    if (headEnd >= Math.min(span.end, totalFrames)) {
      const chunk = await cut(headAudio, span, signal);
      if (chunk) return chunk;
    }
    const wantFrom = Math.max(0, span.start - PREROLL);
    let reach = margin;
    for (let attempt = 0; attempt < TRIES; attempt++, reach *= 4) {
      const from = wantFrom === 0 ? head.audioStart : Math.max(head.audioStart, estimate(wantFrom) - reach);
      const to = Math.min(fileSize, estimate(span.end) + reach);
      const chunk = await cut(await fetchByteRange(download, url, from, to, signal), span, signal);
      if (chunk) return chunk;
    }
    throw new Error(`no Ogg pages hold samples ${span.start}–${span.end}`);
  };

  return Object.assign(windowedSource({ sampleRate: OPUS_RATE, totalFrames }, decodeSpan, onChunk, plan), { decoding: decode.stats });
}
