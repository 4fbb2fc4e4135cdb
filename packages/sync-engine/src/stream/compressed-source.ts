/**
 * Streaming for compressed formats, chosen from the file's head: FLAC (its metadata blocks walked
 * by range past the head, M22), Ogg Opus (its length read from the last page, M10 and M20), MP3 (Layer III, CBR or Xing VBR; seeks
 * exact when the server links a frame index) and AAC-LC in MP4/M4A (its `moov` read by range,
 * first or last in the file) and ADTS AAC (placed by the server's frame index, M21) stream by
 * range; anything else returns null and is decoded whole by the caller.
 */
import { Mp3FrameIndex } from "@sync-beats/protocol";
import { aacSource } from "./aac-source.js";
import { adtsConfig, adtsStreamAt } from "./adts.js";
import { adtsChannels, adtsSource } from "./adts-source.js";
import type { ChunkPlanOptions } from "./chunk-plan.js";
import { aacDecoderConfig, flacDecoderConfig, mp3DecoderConfig, opusDecoderConfig } from "./codec-config.js";
import { parseFlacStart } from "./flac.js";
import { flacSource, readFlacHead } from "./flac-source.js";
import { parseOpusHead } from "./ogg-opus.js";
import { opusLength, opusSource } from "./opus-source.js";
import { frameIndexLookup } from "./mp3-frame-index.js";
import { parseMp3Layout } from "./mp3-layout.js";
import { isMp4 } from "./mp4.js";
import { rangeReader, readMp4AacTrack } from "./mp4-moov.js";
import { mp3Source } from "./mp3-source.js";
import { id3v2Size } from "./mpeg-audio.js";
import type { TrackFetch, TrackSource } from "./track-source.js";
import { openTrackDecoder } from "./span-decode.js";
import type { StreamInput } from "./windowed-source.js";

/** Bytes of the head read after a large ID3v2 tag (cover art) to find the first frame. */
const AFTER_TAG_BYTES = 64 * 1024;

/** What the head request told about a file. */
export interface CompressedHead {
  readonly url: string;
  /** The file's first bytes. */
  readonly head: Uint8Array;
  readonly fileSize: number;
  /** The MP3 frame index the server links to (null when none, or when it failed). */
  readonly frameIndex: Promise<Mp3FrameIndex | null>;
}

/** The frame index at `url` (null for none, a failed fetch or a body that is not one). Never rejects. */
export async function fetchFrameIndex(url: string | null, download: TrackFetch): Promise<Mp3FrameIndex | null> {
  if (!url) return null;
  try {
    const response = await download(url);
    if (!response.ok) return null;
    const parsed = Mp3FrameIndex.safeParse(await response.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A streamed source for the file whose first bytes are `head` (of `fileSize`), or null to decode it whole. */
export async function openCompressedSource(
  { url, head, fileSize, frameIndex }: CompressedHead,
  ctx: BaseAudioContext,
  download: TrackFetch,
  onChunk: () => void,
  plan: ChunkPlanOptions,
): Promise<TrackSource | null> {
  const input = async (config: AudioDecoderConfig): Promise<StreamInput> => ({ url, fileSize, download, decode: await openTrackDecoder(ctx, config), onChunk, plan });
  const flac = parseFlacStart(head);
  // A FLAC of unknown length (a live encode) cannot be laid out for a window: decoded whole.
  if (flac) {
    if (flac.info.totalSamples <= 0) return null;
    const flacInput = await input(flacDecoderConfig(flac));
    const flacHead = await readFlacHead(flac, head, flacInput);
    return flacHead && flacSource(flacHead, flacInput);
  }
  const opus = parseOpusHead(head);
  const opusConfig = opus && opusDecoderConfig(opus.headerPages, opus.channels);
  if (opus && opusConfig) {
    const opusInput = await input(opusConfig);
    const length = await opusLength(opus, opusInput);
    return length === null ? null : opusSource(opus, length, head, opusInput);
  }
  if (isMp4(head)) {
    const reader = rangeReader(url, fileSize, download, head);
    const aac = await readMp4AacTrack(reader, fileSize);
    return aac ? aacSource(aac, reader, await input(aacDecoderConfig(aac.config, aac.sampleRate, aac.channels))) : null;
  }
  const tagEnd = id3v2Size(head);
  let audioHead = { bytes: head.subarray(tagEnd), offset: tagEnd };
  if (tagEnd > 0 && tagEnd + 4096 > head.length && tagEnd < fileSize) {
    const response = await download(url, { headers: { Range: `bytes=${tagEnd}-${Math.min(fileSize, tagEnd + AFTER_TAG_BYTES) - 1}` } });
    if (response.status !== 206) return null;
    audioHead = { bytes: new Uint8Array(await response.arrayBuffer()), offset: tagEnd };
  }
  const adts = adtsStreamAt(audioHead.bytes, 0);
  if (adts) {
    // Without the index nothing places a frame (and nothing gives the length): decoded whole.
    const index = await frameIndex;
    if (!index || index.audioStart !== audioHead.offset) return null;
    return adtsSource(adts, index, await input(aacDecoderConfig(adtsConfig(adts), adts.sampleRate, adtsChannels(adts))));
  }
  const layout = parseMp3Layout(audioHead.bytes, audioHead.offset, fileSize);
  if (!layout || layout.totalFrames <= 0) return null;
  // A constant bitrate places every frame by arithmetic: only a VBR file waits for its index. An
  // index scanned from another numbering of the frames (another file) would misplace every seek.
  const index = layout.cbrFrameBytes === null ? await frameIndex : null;
  const exact = index && index.audioStart === layout.audioStart ? frameIndexLookup(index) : null;
  return mp3Source(url, layout, audioHead, exact, download, await openTrackDecoder(ctx, mp3DecoderConfig(layout.sampleRate, layout.channels)), onChunk, plan);
}
