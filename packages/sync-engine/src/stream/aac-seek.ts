/**
 * Finding an AAC frame in an M4A without the sizes of every frame before it. A frame's offset is
 * its chunk's offset plus the sizes of the frames before it in the chunk, and an encoder may put
 * a whole track in one chunk: a late join 45 minutes in would read 465 KB of sizes first (1.7 s
 * on a 4 Mbit/s link, bench:media). Instead the source reads the sizes of the frames it wants
 * (one small `stsz` range), fetches bytes around the offset interpolated within the chunk, and
 * finds where that run of sizes fits: the position from which every frame starts with the
 * stream's first syntactic element. Raw AAC has no sync word; a run of {@link CHECKED_FRAMES}
 * 7-bit matches is one (a false match is about 2^-7 per frame).
 */
import type { Mp4AacTrack } from "./mp4-moov.js";

/** Frames whose starts must all match. */
export const CHECKED_FRAMES = 24;

/**
 * The first byte's top 7 bits of every raw AAC-LC frame of `channelConfig`: the first element's id
 * (a CPE for stereo, else an SCE, as ISO 14496-3 orders them) and instance tag 0.
 */
export const firstElementBits = (channelConfig: number): number => (channelConfig === 2 ? 1 : 0) << 4;

/**
 * Where in `bytes` a run of frames of `sizes` starts (the first position whose first
 * {@link CHECKED_FRAMES} frames, or all of them when fewer, start with `element` and fit in
 * `bytes`), or -1.
 */
export function findFrameRun(bytes: Uint8Array, sizes: ArrayLike<number>, element: number): number {
  const checked = Math.min(CHECKED_FRAMES, sizes.length);
  let runBytes = 0;
  for (let k = 0; k < checked; k++) runBytes += sizes[k]!;
  for (let p = 0; p + runBytes <= bytes.length; p++) {
    let at = p;
    let k = 0;
    while (k < checked && bytes[at]! >> 1 === element) at += sizes[k++]!;
    if (k === checked) return p;
  }
  return -1;
}

/** The chunk holding frame `frame` (binary search of the chunks' first frames). */
export function chunkOf(track: Mp4AacTrack, frame: number): number {
  const first = track.chunks.firstSample;
  let lo = 0;
  let hi = track.chunks.offset.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (first[mid]! <= frame) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Frame `frame`'s offset interpolated within its chunk (from the chunk's start to the next one's, or to the media's end). */
export function estimateFrameOffset(track: Mp4AacTrack, frame: number): number {
  const c = chunkOf(track, frame);
  const { offset, firstSample } = track.chunks;
  const start = offset[c]!;
  const end = c + 1 < offset.length ? offset[c + 1]! : track.mediaEnd;
  const frames = Math.max(1, firstSample[c + 1]! - firstSample[c]!);
  return start + ((frame - firstSample[c]!) * (end - start)) / frames;
}
