/**
 * FLAC for streaming by range (RFC 9639): the stream header and frame headers. Every frame
 * header carries its own first sample (a frame or sample number) and a CRC-8, so a range cut
 * anywhere re-synchronises on a frame boundary and knows exactly which samples it holds; frames
 * decode independently (no priming, no encoder delay).
 */

/** What STREAMINFO says. */
export interface FlacStreamInfo {
  readonly minBlockSize: number;
  readonly maxBlockSize: number;
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitsPerSample: number;
  /** 0 when unknown. */
  readonly totalSamples: number;
}

/** A FLAC file's head: its stream info, where the frames start, and the STREAMINFO block's bytes. */
export interface FlacHead {
  readonly info: FlacStreamInfo;
  /** File offset of the first frame (after the last metadata block). */
  readonly audioStart: number;
  /** The 34 bytes of the STREAMINFO block body. */
  readonly streamInfoBytes: Uint8Array;
}

/** The start of a FLAC file: `fLaC` and its first block, STREAMINFO (RFC 9639 §8.1 puts it first). */
export interface FlacStart {
  readonly info: FlacStreamInfo;
  readonly streamInfoBytes: Uint8Array;
}

/** `fLaC` and STREAMINFO at the start of `bytes`, or null when it is not FLAC. */
export function parseFlacStart(bytes: Uint8Array): FlacStart | null {
  if (bytes.length < 42 || String.fromCharCode(...bytes.subarray(0, 4)) !== "fLaC") return null;
  const size = (bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!;
  if ((bytes[4]! & 0x7f) !== 0 || size !== 34) return null;
  const s = bytes.slice(8, 42);
  const info: FlacStreamInfo = {
    minBlockSize: (s[0]! << 8) | s[1]!,
    maxBlockSize: (s[2]! << 8) | s[3]!,
    sampleRate: (s[10]! << 12) | (s[11]! << 4) | (s[12]! >> 4),
    channels: ((s[12]! >> 1) & 7) + 1,
    bitsPerSample: (((s[12]! & 1) << 4) | (s[13]! >> 4)) + 1,
    totalSamples: (s[13]! & 0x0f) * 2 ** 32 + ((s[14]! << 24) >>> 0) + (s[15]! << 16) + (s[16]! << 8) + s[17]!,
  };
  if (info.sampleRate === 0 || info.maxBlockSize < 16) return null;
  return { info, streamInfoBytes: s };
}

/** Where a walk of the metadata blocks got to: the audio's start, or a block header beyond the bytes it had. */
export type FlacMetadataWalk = { readonly audioStart: number } | { readonly headerAt: number };

/**
 * Walks metadata block headers from file offset `at` through `bytes` (the file's bytes from
 * offset `base`): each header says the block's length, so a block (a large embedded picture) is
 * stepped over without its bytes.
 */
export function walkFlacMetadata(bytes: Uint8Array, base: number, at: number): FlacMetadataWalk {
  for (;;) {
    const i = at - base;
    if (i < 0 || i + 4 > bytes.length) return { headerAt: at };
    const size = (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!;
    at += 4 + size;
    if ((bytes[i]! & 0x80) !== 0) return { audioStart: at };
  }
}

/** One frame header found in a byte string. */
export interface FlacFrame {
  /** Offset in the bytes searched. */
  readonly offset: number;
  /** The track sample the frame starts at. */
  readonly firstSample: number;
  readonly blockSize: number;
}

const BLOCK_SIZES = [0, 192, 576, 1152, 2304, 4608, -1, -2, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768];

function crc8(bytes: Uint8Array, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) {
    crc ^= bytes[i]!;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

/** The frame header at `at` (sync code, sane fields, CRC-8 right), or null. */
export function parseFlacFrameHeader(bytes: Uint8Array, at: number, info: FlacStreamInfo): FlacFrame | null {
  if (at + 6 > bytes.length || bytes[at] !== 0xff || (bytes[at + 1]! & 0xfe) !== 0xf8) return null;
  const variable = (bytes[at + 1]! & 1) === 1;
  const sizeBits = bytes[at + 2]! >> 4;
  const rateBits = bytes[at + 2]! & 0x0f;
  const channelBits = bytes[at + 3]! >> 4;
  if (sizeBits === 0 || rateBits === 15 || channelBits > 10 || (bytes[at + 3]! & 1) !== 0) return null;
  // The frame or sample number, UTF-8-style: a lead byte saying how many continuation bytes follow.
  let cursor = at + 4;
  const lead = bytes[cursor++]!;
  let extra = 0;
  while (extra < 7 && lead & (0x80 >> extra)) extra++;
  if (extra === 1 || extra > 7) return null;
  const continuation = extra === 0 ? 0 : extra - 1;
  let number = extra === 0 ? lead : lead & (0xff >> (extra + 1));
  for (let i = 0; i < continuation; i++) {
    const byte = bytes[cursor++];
    if (byte === undefined || (byte & 0xc0) !== 0x80) return null;
    number = number * 64 + (byte & 0x3f);
  }
  let blockSize = BLOCK_SIZES[sizeBits]!;
  if (blockSize === -1) blockSize = (bytes[cursor++] ?? 0) + 1;
  else if (blockSize === -2) blockSize = (((bytes[cursor++] ?? 0) << 8) | (bytes[cursor++] ?? 0)) + 1;
  if (rateBits === 12) cursor += 1;
  else if (rateBits === 13 || rateBits === 14) cursor += 2;
  if (cursor >= bytes.length || crc8(bytes, at, cursor) !== bytes[cursor]) return null;
  if (blockSize > info.maxBlockSize) return null;
  // A fixed-blocksize stream numbers frames; every frame but the last holds maxBlockSize samples.
  const firstSample = variable ? number : number * info.maxBlockSize;
  return { offset: at, firstSample, blockSize };
}

/**
 * The frames of one stream that lie whole in `bytes` (file bytes from anywhere), each with its
 * end (the next frame's offset). A sync pattern inside frame data may pass the CRC-8 by chance
 * (about 1 in 256), so a frame counts only when the next one starts exactly where its samples
 * end; the last frame is taken only when `bytes` reaches the end of the file (`atFileEnd`).
 */
export function findFlacFrames(bytes: Uint8Array, info: FlacStreamInfo, atFileEnd: boolean): (FlacFrame & { readonly end: number })[] {
  const candidates: FlacFrame[] = [];
  for (let at = 0; at + 6 <= bytes.length; at++) {
    if (bytes[at] !== 0xff) continue;
    const frame = parseFlacFrameHeader(bytes, at, info);
    if (frame) candidates.push(frame);
  }
  for (let i = 0; i < candidates.length; i++) {
    const chain: (FlacFrame & { end: number })[] = [];
    let current = candidates[i]!;
    for (let j = i + 1; j < candidates.length; j++) {
      const next = candidates[j]!;
      if (next.firstSample !== current.firstSample + current.blockSize) continue;
      chain.push({ ...current, end: next.offset });
      current = next;
    }
    if (chain.length === 0) continue;
    if (atFileEnd) chain.push({ ...current, end: bytes.length });
    return chain;
  }
  const only = candidates[0];
  return atFileEnd && candidates.length === 1 && only ? [{ ...only, end: bytes.length }] : [];
}

/**
 * A FLAC file of its own from the stream's STREAMINFO and whole frames: what `decodeAudioData`
 * decodes. The total sample count is set to 0 (unknown) and the MD5 to zeros (unchecked), since
 * the frames are a part of the stream.
 */
export function flacFileOf(head: FlacHead, frames: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 + 34 + frames.length);
  out.set([0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, 34]);
  const info = head.streamInfoBytes.slice();
  info[13] = info[13]! & 0xf0;
  info.fill(0, 14, 34);
  out.set(info, 8);
  out.set(frames, 42);
  return out;
}
