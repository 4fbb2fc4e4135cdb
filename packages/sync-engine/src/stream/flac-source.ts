/**
 * A FLAC file streamed by HTTP range: each span is fetched as the frames that hold it (found by
 * their headers, which carry their first sample), made into a small FLAC file of its own with the
 * stream's STREAMINFO, decoded (span-decode.ts: its frames by `AudioDecoder`, or that file by
 * `decodeAudioData`) and cut to the exact samples. FLAC is
 * lossless and its frames decode independently, so a chunk equals the same samples of the whole
 * file.
 */
import type { FrameSpan } from "./chunk-plan.js";
import { findFlacFrames, flacFileOf, walkFlacMetadata, type FlacHead, type FlacStart } from "./flac.js";
import type { CodedSpan } from "./span-decode.js";
import type { DecodedChunk, TrackSource } from "./track-source.js";
import { windowedSource, type StreamInput } from "./windowed-source.js";
import { fetchByteRange } from "./byte-range.js";

/** Frame offsets remembered (where decoded spans ended), so the next span starts exactly. */
const MAX_ANCHORS = 256;
/** A range estimated from the average bitrate starts this many average-sized largest-block frames early. */
const EARLY_FRAMES = 2;
/** Tries with an earlier start when an estimated range began after the span. */
const TRIES = 4;

/** Bytes read at a block header the head did not reach: it and the small blocks after it. */
const METADATA_READ = 8 * 1024;
/** Ranges read for block headers at most (a picture, then a comment and a padding, say). */
const MAX_METADATA_READS = 8;

/**
 * The head of the FLAC starting `head`: where its frames start, its metadata walked block by
 * block (M22), by range where the head ends first (a large embedded picture); null when the
 * blocks run past the file or take more than {@link MAX_METADATA_READS} ranges.
 */
export async function readFlacHead(start: FlacStart, head: Uint8Array, { url, fileSize, download }: StreamInput): Promise<FlacHead | null> {
  let walk = walkFlacMetadata(head, 0, 4);
  for (let reads = 0; "headerAt" in walk && reads < MAX_METADATA_READS && walk.headerAt < fileSize; reads++) {
    const at = walk.headerAt;
    walk = walkFlacMetadata(await fetchByteRange(download, url, at, Math.min(fileSize, at + METADATA_READ)), at, at);
  }
  return "audioStart" in walk && walk.audioStart < fileSize ? { ...start, audioStart: walk.audioStart } : null;
}

export function flacSource(head: FlacHead, { url, fileSize, download, decode, onChunk, plan }: StreamInput): TrackSource {
  const { info } = head;
  const audioBytes = fileSize - head.audioStart;
  const bytesPerSample = audioBytes / Math.max(1, info.totalSamples);
  /** A frame's worth of bytes at the average rate, as margin. */
  const frameMargin = Math.ceil(info.maxBlockSize * bytesPerSample * EARLY_FRAMES) + 64;
  /** Track sample → file offset of the frame starting there (the ends of decoded spans). */
  const anchors = new Map<number, number>([[0, head.audioStart]]);
  const remember = (sample: number, offset: number) => {
    if (anchors.size >= MAX_ANCHORS) anchors.delete(anchors.keys().next().value!);
    anchors.set(sample, offset);
  };
  const estimate = (sample: number) => head.audioStart + Math.floor(sample * bytesPerSample);

  const decodeSpan = async (span: FrameSpan, signal: AbortSignal): Promise<DecodedChunk | null> => {
    let early = frameMargin;
    for (let attempt = 0; attempt < TRIES; attempt++, early *= 4) {
      const known = anchors.get(span.start);
      const from = known ?? Math.max(head.audioStart, estimate(span.start) - early);
      // Past the span's estimated end by a margin: the last frame counts only once the next one starts.
      const to = Math.min(fileSize, Math.max(from + 2 * early, estimate(span.end) + early));
      const bytes = await fetchByteRange(download, url, from, to, signal);
      const frames = findFlacFrames(bytes, info, to >= fileSize);
      const firstAt = frames.findIndex((f) => f.firstSample + f.blockSize > span.start);
      // Started after the span (the bitrate varies) or too short to hold two frames: earlier, longer.
      if (firstAt === -1 || frames[firstAt]!.firstSample > span.start) continue;
      const lastAt = frames.findIndex((f) => f.firstSample + f.blockSize >= span.end);
      const taken = frames.slice(firstAt, lastAt === -1 ? frames.length : lastAt + 1);
      const first = taken[0]!;
      const last = taken.at(-1)!;
      remember(last.firstSample + last.blockSize, from + last.end);
      const coded: CodedSpan = {
        firstSample: first.firstSample,
        frames: taken.map((f) => bytes.subarray(f.offset, f.end)),
        frameSamples: taken.map((f) => f.blockSize),
        file: () => flacFileOf(head, bytes.subarray(first.offset, last.end)).buffer as ArrayBuffer,
        fileDropped: () => 0,
      };
      return decode.decode(coded, span, info.totalSamples, signal);
    }
    throw new Error(`no FLAC frame holds sample ${span.start}`);
  };

  return Object.assign(windowedSource({ sampleRate: info.sampleRate, totalFrames: info.totalSamples }, decodeSpan, onChunk, plan), { decoding: decode.stats });
}
