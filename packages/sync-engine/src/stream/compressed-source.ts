/**
 * Streaming for compressed formats, chosen from the file's head: MP3 (Layer III, CBR or Xing
 * VBR) streams by range; anything else returns null and is decoded whole by the caller.
 */
import type { ChunkPlanOptions } from "./chunk-plan.js";
import { parseMp3Layout } from "./mp3-layout.js";
import { mp3Source, type BytesDecoder } from "./mp3-source.js";
import { id3v2Size } from "./mpeg-audio.js";
import type { TrackFetch, TrackSource } from "./track-source.js";

/** Bytes of the head read after a large ID3v2 tag (cover art) to find the first frame. */
const AFTER_TAG_BYTES = 64 * 1024;

/**
 * Decodes at `sampleRate` (an OfflineAudioContext at the file's rate, so nothing is resampled
 * per chunk: Web Audio resamples once, on playback).
 */
export function decoderAt(ctx: BaseAudioContext, sampleRate: number, channels: number): BytesDecoder {
  const offline = typeof OfflineAudioContext === "function" ? new OfflineAudioContext(channels, 1, sampleRate) : ctx;
  return (bytes) => offline.decodeAudioData(bytes);
}

/** A streamed source for the file whose first bytes are `head` (of `fileSize`), or null to decode it whole. */
export async function openCompressedSource(
  url: string,
  head: Uint8Array,
  fileSize: number,
  ctx: BaseAudioContext,
  download: TrackFetch,
  onChunk: () => void,
  plan: ChunkPlanOptions,
): Promise<TrackSource | null> {
  const tagEnd = id3v2Size(head);
  let audioHead = { bytes: head.subarray(tagEnd), offset: tagEnd };
  if (tagEnd > 0 && tagEnd + 4096 > head.length && tagEnd < fileSize) {
    const response = await download(url, { headers: { Range: `bytes=${tagEnd}-${Math.min(fileSize, tagEnd + AFTER_TAG_BYTES) - 1}` } });
    if (response.status !== 206) return null;
    audioHead = { bytes: new Uint8Array(await response.arrayBuffer()), offset: tagEnd };
  }
  const layout = parseMp3Layout(audioHead.bytes, audioHead.offset, fileSize);
  if (!layout || layout.totalFrames <= 0) return null;
  return mp3Source(url, layout, audioHead, ctx, download, decoderAt(ctx, layout.sampleRate, layout.channels), onChunk, plan);
}
