/**
 * Where an MP3's frames lie in the file, from its head: the first audio frame, how many there
 * are, the gapless trim, and how to estimate the byte offset of any frame for a range request —
 * exact arithmetic for a constant bitrate, the Xing TOC for a variable one.
 */
import { leadingTrim, parseXingFrame, trimmedSamples, type XingInfo } from "./mp3-gapless.js";
import { findFrames, parseMpegFrameHeader, type MpegFrameHeader } from "./mpeg-audio.js";

/** An MP3 laid out for streaming. Frame indexes count audio frames (the Xing frame excluded). */
export interface Mp3Layout {
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  readonly samplesPerFrame: number;
  /** File offset of audio frame 0. */
  readonly audioStart: number;
  /** File offset just past the audio. */
  readonly audioEnd: number;
  readonly frameCount: number;
  /** Decoded samples dropped before track sample 0 (encoder delay + decoder delay, or 0). */
  readonly leadingTrim: number;
  /** Samples of the track after trimming. */
  readonly totalFrames: number;
  /** Bytes per frame of a constant-bitrate file (fractional: padding comes and goes); null when variable. */
  readonly cbrFrameBytes: number | null;
  /** The Xing TOC of a variable-bitrate file. */
  readonly toc: readonly number[] | null;
}

/** Frames read from the head to decide whether the bitrate is constant when no tag says. */
const CBR_CHECK_FRAMES = 20;

/**
 * The layout from `head` (file bytes from `headOffset`, which should be where the ID3v2 tag
 * ends, or 0). Null when the head is not MP3, or is a VBR file with no TOC to seek by (VBRI or
 * untagged): those are decoded whole.
 */
export function parseMp3Layout(head: Uint8Array, headOffset: number, fileSize: number): Mp3Layout | null {
  const zero = findAudioFrameZero(head);
  if (!zero) return null;
  const { frames, firstAt, first, xing } = zero;
  const base = { sampleRate: first.sampleRate, channels: first.channels, samplesPerFrame: first.samplesPerFrame };
  const exactFrameBytes = ((first.samplesPerFrame / 8) * first.bitrateKbps * 1000) / first.sampleRate;
  if (xing) {
    const audioStart = headOffset + zero.audioStart;
    const audioEnd = xing.bytes === null ? fileSize : Math.min(fileSize, headOffset + firstAt + xing.bytes);
    const cbr = xing.kind === "Info" ? exactFrameBytes : null;
    if (cbr === null && (xing.toc === null || xing.frames === null)) return null;
    const frameCount = xing.frames ?? Math.floor((audioEnd - audioStart) / cbr!);
    const total = trimmedSamples({ ...xing, frames: frameCount }, first.samplesPerFrame)!;
    return { ...base, audioStart, audioEnd, frameCount, leadingTrim: leadingTrim(xing), totalFrames: total, cbrFrameBytes: cbr, toc: cbr === null ? xing.toc : null };
  }
  // A VBRI header (Fraunhofer) sits 32 bytes after the frame header.
  if (String.fromCharCode(...head.subarray(firstAt + 36, firstAt + 40)) === "VBRI") return null;
  const sameRate = frames.slice(0, CBR_CHECK_FRAMES).every((at) => parseMpegFrameHeader(head, at)!.bitrateKbps === first.bitrateKbps);
  if (!sameRate) return null;
  const audioStart = headOffset + zero.audioStart;
  const frameCount = Math.round((fileSize - audioStart) / exactFrameBytes);
  return { ...base, audioStart, audioEnd: fileSize, frameCount, leadingTrim: 0, totalFrames: frameCount * first.samplesPerFrame, cbrFrameBytes: exactFrameBytes, toc: null };
}

/** The first frame of `head` and audio frame 0: the frame after it when it is a Xing/Info frame, else itself. */
export function findAudioFrameZero(head: Uint8Array): { frames: number[]; firstAt: number; first: MpegFrameHeader; xing: XingInfo | null; audioStart: number } | null {
  const frames = findFrames(head);
  if (frames.length === 0) return null;
  const firstAt = frames[0]!;
  const first = parseMpegFrameHeader(head, firstAt)!;
  const xing = parseXingFrame(head, firstAt, first);
  return { frames, firstAt, first, xing, audioStart: firstAt + (xing ? first.frameBytes : 0) };
}

/** Estimated file offset of audio frame `frame` (exact to within a byte for a constant bitrate). */
export function frameOffsetEstimate(layout: Mp3Layout, frame: number): number {
  if (layout.cbrFrameBytes !== null) return layout.audioStart + frame * layout.cbrFrameBytes;
  const toc = layout.toc!;
  const percent = Math.max(0, Math.min(100, (frame / layout.frameCount) * 100));
  const i = Math.min(99, Math.floor(percent));
  const from = toc[i]!;
  const to = i < 99 ? toc[i + 1]! : 256;
  return layout.audioStart + ((from + (to - from) * (percent - i)) / 256) * (layout.audioEnd - layout.audioStart);
}

/**
 * The audio frame starting at file offset `offset` (a frame boundary): exact for a constant
 * bitrate; for a variable one, the TOC's inverse, approximate (tens of frames in a long file).
 */
export function frameIndexAt(layout: Mp3Layout, offset: number): number {
  if (layout.cbrFrameBytes !== null) return Math.round((offset - layout.audioStart) / layout.cbrFrameBytes);
  const toc = layout.toc!;
  const position = ((offset - layout.audioStart) / (layout.audioEnd - layout.audioStart)) * 256;
  let i = 0;
  while (i < 99 && toc[i + 1]! <= position) i++;
  const from = toc[i]!;
  const to = i < 99 ? toc[i + 1]! : 256;
  const percent = i + (to > from ? Math.min(1, Math.max(0, (position - from) / (to - from))) : 0);
  return Math.round((percent / 100) * layout.frameCount);
}
