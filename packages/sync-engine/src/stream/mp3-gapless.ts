/**
 * The Xing/Info frame an encoder writes as an MP3's first frame, with LAME's extension: how many
 * frames follow, a seek table (TOC), and the encoder delay and padding. Decoders that honour it
 * (Chromium's, via FFmpeg) drop `encoderDelay + 529` samples at the start (529 is the MP3
 * decoder's own delay) and `padding` at the end; a streamed MP3 must trim the same way so that
 * sample 0 is the same instant whatever decodes it.
 */
import type { MpegFrameHeader } from "./mpeg-audio.js";

/** The MP3 decoder's own delay in samples, which the LAME tag's encoder delay does not include. */
export const MP3_DECODER_DELAY = 529;

/** What an Xing/Info frame says. */
export interface XingInfo {
  /** "Xing" marks a VBR file, "Info" a CBR one. */
  readonly kind: "Xing" | "Info";
  /** Audio frames after this one, when given. */
  readonly frames: number | null;
  /** Bytes of the audio stream (this frame included), when given. */
  readonly bytes: number | null;
  /** 100 entries: byte position (/256 of `bytes`) at each percent of the duration, when given. */
  readonly toc: readonly number[] | null;
  /** From the LAME extension; null without one. */
  readonly gapless: { readonly encoderDelay: number; readonly padding: number } | null;
}

/** Where the side information ends and an Xing tag may start, after the 4-byte header. */
function sideInfoBytes(header: MpegFrameHeader): number {
  if (header.version === 1) return header.channels === 1 ? 17 : 32;
  return header.channels === 1 ? 9 : 17;
}

/** The Xing/Info tag of the frame at `at` (whose header is `header`), or null when it has none. */
export function parseXingFrame(bytes: Uint8Array, at: number, header: MpegFrameHeader): XingInfo | null {
  const tagAt = at + 4 + sideInfoBytes(header);
  if (tagAt + 8 > bytes.length) return null;
  const kind = String.fromCharCode(...bytes.subarray(tagAt, tagAt + 4));
  if (kind !== "Xing" && kind !== "Info") return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = view.getUint32(tagAt + 4);
  let cursor = tagAt + 8;
  const field = (flag: number, size: number): number | null => {
    if (!(flags & flag) || cursor + size > bytes.length) return null;
    const start = cursor;
    cursor += size;
    return start;
  };
  const framesAt = field(1, 4);
  const bytesAt = field(2, 4);
  const tocAt = field(4, 100);
  field(8, 4);
  const lameAt = cursor;
  // The LAME extension: a 9-byte encoder name, then delay and padding (12 bits each) at +21.
  const hasLame = lameAt + 24 <= bytes.length && /^(LAME|Lavc|Lavf|GOGO)/.test(String.fromCharCode(...bytes.subarray(lameAt, lameAt + 4)));
  const gapless = hasLame
    ? { encoderDelay: (bytes[lameAt + 21]! << 4) | (bytes[lameAt + 22]! >> 4), padding: ((bytes[lameAt + 22]! & 0x0f) << 8) | bytes[lameAt + 23]! }
    : null;
  return {
    kind,
    frames: framesAt === null ? null : view.getUint32(framesAt),
    bytes: bytesAt === null ? null : view.getUint32(bytesAt),
    toc: tocAt === null ? null : Array.from(bytes.subarray(tocAt, tocAt + 100)),
    gapless,
  };
}

/** Samples a decoder drops at the start for this tag (0 without gapless info, as FFmpeg does). */
export function leadingTrim(xing: XingInfo | null): number {
  return xing?.gapless ? xing.gapless.encoderDelay + MP3_DECODER_DELAY : 0;
}

/**
 * Samples of the track once trimmed: FFmpeg keeps `frames × samplesPerFrame − delay − padding`
 * (its end discard is `padding − 529`, after the 529 it already dropped at the start).
 */
export function trimmedSamples(xing: XingInfo, samplesPerFrame: number): number | null {
  if (xing.frames === null) return null;
  const all = xing.frames * samplesPerFrame;
  return xing.gapless ? Math.max(0, all - xing.gapless.encoderDelay - xing.gapless.padding) : all;
}
