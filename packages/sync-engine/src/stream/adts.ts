/**
 * ADTS AAC (ISO 14496-3 §1.A.2) for streaming by range: every frame starts with a header giving
 * the sync word, the profile, the rate, the channels and the frame's length in bytes (header and
 * CRC included), so frames are walked header to header. Only AAC-LC frames of one raw data block
 * (1024 samples each) are taken; a stream is recognised by {@link CONFIRMING_FRAMES} headers in a
 * row that agree (a sync word alone turns up in audio data by chance).
 */
import { AAC_RATES, type AacConfig } from "./mp4.js";

/** One ADTS frame header. */
export interface AdtsHeader {
  /** The whole frame's bytes, header included. */
  readonly frameBytes: number;
  /** The header's own bytes (7, or 9 with a CRC): the access unit follows them. */
  readonly headerBytes: number;
  readonly frequencyIndex: number;
  readonly sampleRate: number;
  readonly channelConfig: number;
}

/** The AudioSpecificConfig an ADTS header stands for (AAC-LC: object type 2). */
export const adtsConfig = ({ frequencyIndex, channelConfig }: AdtsHeader): AacConfig => ({ objectType: 2, frequencyIndex, channelConfig });

/** Consecutive agreeing headers that make a stream. */
export const CONFIRMING_FRAMES = 4;

/** The AAC-LC, one-block ADTS header at `at`, or null. */
export function parseAdtsHeader(bytes: Uint8Array, at: number): AdtsHeader | null {
  if (at + 7 > bytes.length || bytes[at] !== 0xff || (bytes[at + 1]! & 0xf6) !== 0xf0) return null;
  const protectionAbsent = bytes[at + 1]! & 1;
  const profile = bytes[at + 2]! >> 6;
  const rateIndex = (bytes[at + 2]! >> 2) & 0xf;
  const channelConfig = ((bytes[at + 2]! & 1) << 2) | (bytes[at + 3]! >> 6);
  const frameBytes = ((bytes[at + 3]! & 3) << 11) | (bytes[at + 4]! << 3) | (bytes[at + 5]! >> 5);
  const rawBlocks = bytes[at + 6]! & 3;
  // Profile 1 is AAC-LC (object type 2); channel configuration 0 (a PCE) is not handled.
  if (profile !== 1 || rateIndex >= AAC_RATES.length || channelConfig === 0 || rawBlocks !== 0 || frameBytes < (protectionAbsent ? 7 : 9)) return null;
  return { frameBytes, headerBytes: protectionAbsent ? 7 : 9, frequencyIndex: rateIndex, sampleRate: AAC_RATES[rateIndex]!, channelConfig };
}

/** Whether `b` continues a stream of `a`'s rate and channels. */
const sameStream = (a: AdtsHeader, b: AdtsHeader) => a.sampleRate === b.sampleRate && a.channelConfig === b.channelConfig;

/**
 * The header at `at` when {@link CONFIRMING_FRAMES} agreeing headers follow one another from
 * there (fewer when the bytes end first, but at least two); null otherwise.
 */
export function adtsStreamAt(bytes: Uint8Array, at: number): AdtsHeader | null {
  const header = parseAdtsHeader(bytes, at);
  let next = at;
  let confirmed = 0;
  for (let h = header; confirmed < CONFIRMING_FRAMES && h && sameStream(header!, h); h = parseAdtsHeader(bytes, next)) {
    confirmed++;
    next += h.frameBytes;
  }
  return confirmed === CONFIRMING_FRAMES || (confirmed >= 2 && next + 7 > bytes.length) ? header : null;
}

/** The header of the frame at `at` if it continues the stream of `first`, else null. */
export function continuingAdtsHeader(bytes: Uint8Array, at: number, first: AdtsHeader): AdtsHeader | null {
  const header = parseAdtsHeader(bytes, at);
  return header && sameStream(first, header) ? header : null;
}

/** The length of the frame at `at` if it continues the stream of `first`, else null. */
export function adtsFrameBytes(bytes: Uint8Array, at: number, first: AdtsHeader): number | null {
  return continuingAdtsHeader(bytes, at, first)?.frameBytes ?? null;
}
