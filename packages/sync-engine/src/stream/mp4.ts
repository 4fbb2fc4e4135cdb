/**
 * The parts of an MP4 (ISO BMFF, M4A) file an AAC stream needs, read from box bodies: the time
 * scales, the edit list (the encoder delay), the AudioSpecificConfig, the sample timing and the
 * sample-to-chunk layout; and the ADTS header that makes a raw AAC frame decodable on its own.
 * Pure functions of bytes; `mp4-moov.ts` finds the boxes by range.
 */

/** A box: where it starts (absolute), its header's length and its whole length. */
export interface BoxHeader {
  readonly type: string;
  readonly start: number;
  readonly headerSize: number;
  readonly size: number;
}

const fourCc = (bytes: Uint8Array, at: number) => String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const u64 = (data: DataView, at: number) => data.getUint32(at) * 2 ** 32 + data.getUint32(at + 4);

/**
 * The box header at `at` of `bytes` (which start at file offset `base`); a size of 0 runs to
 * `limit` (the parent's end). Null when the header is not all in `bytes` or is malformed.
 */
export function readBoxHeader(bytes: Uint8Array, at: number, base: number, limit: number): BoxHeader | null {
  if (at < 0 || at + 8 > bytes.length) return null;
  const data = view(bytes);
  let size = data.getUint32(at);
  let headerSize = 8;
  if (size === 1) {
    if (at + 16 > bytes.length) return null;
    size = u64(data, at + 8);
    headerSize = 16;
  } else if (size === 0) size = limit - (base + at);
  if (size < headerSize) return null;
  return { type: fourCc(bytes, at + 4), start: base + at, headerSize, size };
}

/** Whether a file starting with `head` is an ISO BMFF file (its first box an `ftyp`). */
export const isMp4 = (head: Uint8Array): boolean => head.length >= 8 && fourCc(head, 4) === "ftyp";

/** A full box's version (its body's first byte). */
const version = (body: Uint8Array) => body[0]!;

/** `mvhd` or `mdhd`: the time scale (units a second). */
export function headerTimescale(body: Uint8Array): number {
  return view(body).getUint32(version(body) === 1 ? 20 : 12);
}

/** The `hdlr` handler type (`soun` for audio). */
export const handlerType = (body: Uint8Array): string => fourCc(body, 8);

/** The first edit that plays media: where it starts in the media (media time scale) and how long it lasts (movie time scale). */
export interface Edit {
  readonly mediaTime: number;
  readonly duration: number;
}

/**
 * The edit list's first entry, or null when it starts with an empty edit (a delay before the
 * media, not handled here) or is empty.
 */
export function parseElst(body: Uint8Array): Edit | null {
  const data = view(body);
  if (data.getUint32(4) < 1) return null;
  const wide = version(body) === 1;
  const duration = wide ? u64(data, 8) : data.getUint32(8);
  const mediaTime = wide ? Number(data.getBigInt64(16)) : data.getInt32(12);
  return mediaTime < 0 ? null : { mediaTime, duration };
}

/** iTunes' gapless info (the `iTunSMPB` tag): the encoder delay, and the track's length in samples. */
export interface ItunesGapless {
  readonly delay: number;
  readonly samples: number;
}

/**
 * The gapless info of an `ilst` item whose body is `item` (a `----` box: `mean`, `name`, `data`),
 * when its name is `iTunSMPB`: hex fields, the second the delay and the fourth the length (the
 * third, the padding, follows from them). Null for any other item or a malformed one.
 */
export function parseItunSmpb(item: Uint8Array): ItunesGapless | null {
  const text = new Map<string, string>();
  for (let at = 0; at + 8 <= item.length; ) {
    const box = readBoxHeader(item, at, 0, item.length);
    if (!box || at + box.size > item.length) return null;
    // `name` and `data` are full boxes (4 bytes of version and flags); `data` adds a 4-byte locale.
    const skip = box.type === "data" ? 8 : 4;
    text.set(box.type, String.fromCharCode(...item.subarray(at + box.headerSize + skip, at + box.size)));
    at += box.size;
  }
  if (text.get("name") !== "iTunSMPB") return null;
  const fields = (text.get("data") ?? "").trim().split(/\s+/).map((field) => Number.parseInt(field, 16));
  const [delay, samples] = [fields[1], fields[3]];
  return delay !== undefined && samples !== undefined && Number.isFinite(delay) && Number.isFinite(samples) && samples > 0 ? { delay, samples } : null;
}

/** What the AAC decoder needs from the `esds`: AudioSpecificConfig's object type, rate index and channels. */
export interface AacConfig {
  readonly objectType: number;
  readonly frequencyIndex: number;
  readonly channelConfig: number;
}

/** Sample rates of the ADTS/ASC frequency indexes. */
export const AAC_RATES = [96_000, 88_200, 64_000, 48_000, 44_100, 32_000, 24_000, 22_050, 16_000, 12_000, 11_025, 8_000, 7_350] as const;

/**
 * The `stsd` box body's first entry when it is an `mp4a` with an MPEG-4 audio `esds`: its
 * AudioSpecificConfig (null for anything else).
 */
export function parseMp4aConfig(stsd: Uint8Array): AacConfig | null {
  // stsd: full box, entry count; the entry: size, 'mp4a', 28 bytes of AudioSampleEntry, then boxes.
  if (stsd.length < 16 + 28 || fourCc(stsd, 12) !== "mp4a") return null;
  const entryEnd = Math.min(stsd.length, 8 + view(stsd).getUint32(8));
  for (let at = 8 + 36; at + 8 <= entryEnd; ) {
    const box = readBoxHeader(stsd, at, 0, entryEnd);
    if (!box) return null;
    if (box.type === "esds") return parseEsds(stsd.subarray(at + box.headerSize + 4, at + box.size));
    at += box.size;
  }
  return null;
}

/** ES_Descriptor → DecoderConfigDescriptor (MPEG-4 audio, 0x40) → DecoderSpecificInfo: the ASC. */
function parseEsds(bytes: Uint8Array): AacConfig | null {
  let at = 0;
  const descriptor = (tag: number): number | null => {
    if (bytes[at] !== tag) return null;
    at++;
    let length = 0;
    for (let i = 0; i < 4 && at < bytes.length; i++) {
      const b = bytes[at++]!;
      length = (length << 7) | (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
    return length;
  };
  if (descriptor(0x03) === null) return null;
  const flags = bytes[at + 2] ?? 0;
  at += 3 + (flags & 0x80 ? 2 : 0);
  if (flags & 0x40) at += 1 + (bytes[at] ?? 0);
  if (flags & 0x20) at += 2;
  if (descriptor(0x04) === null || bytes[at] !== 0x40) return null;
  at += 13;
  const length = descriptor(0x05);
  if (length === null || length < 2 || at + 2 > bytes.length) return null;
  const bits = (bytes[at]! << 8) | bytes[at + 1]!;
  return { objectType: bits >> 11, frequencyIndex: (bits >> 7) & 0x0f, channelConfig: (bits >> 3) & 0x0f };
}

/** `stts` as AAC timing: every sample `frameSamples` long (the last may be shorter); null otherwise. */
export function parseStts(body: Uint8Array, frameSamples: number): { samples: number; streamFrames: number } | null {
  const data = view(body);
  const entries = data.getUint32(4);
  let samples = 0;
  let streamFrames = 0;
  for (let i = 0; i < entries; i++) {
    const count = data.getUint32(8 + 8 * i);
    const delta = data.getUint32(12 + 8 * i);
    const last = i === entries - 1;
    if (delta !== frameSamples && !(last && count === 1 && delta < frameSamples)) return null;
    samples += count;
    streamFrames += count * delta;
  }
  return { samples, streamFrames };
}

/** `stsc` and `stco`/`co64` as the first sample of every chunk and its file offset. */
export interface ChunkLayout {
  /** Chunk `c` starts with sample `firstSample[c]`; one entry past the last chunk (the sample count). */
  readonly firstSample: Float64Array;
  readonly offset: Float64Array;
}

export function parseChunkLayout(stsc: Uint8Array, chunkOffsets: Uint8Array, wideOffsets: boolean, sampleCount: number): ChunkLayout {
  const offsets = view(chunkOffsets);
  const chunks = offsets.getUint32(4);
  const offset = new Float64Array(chunks);
  for (let c = 0; c < chunks; c++) offset[c] = wideOffsets ? u64(offsets, 8 + 8 * c) : offsets.getUint32(8 + 4 * c);
  const runs = view(stsc);
  const entries = runs.getUint32(4);
  const firstSample = new Float64Array(chunks + 1);
  let sample = 0;
  for (let e = 0; e < entries; e++) {
    const from = runs.getUint32(8 + 12 * e) - 1;
    const to = e + 1 < entries ? runs.getUint32(8 + 12 * (e + 1)) - 1 : chunks;
    const perChunk = runs.getUint32(12 + 12 * e);
    for (let c = from; c < Math.min(to, chunks); c++, sample += perChunk) firstSample[c] = sample;
  }
  firstSample[chunks] = Math.min(sample, sampleCount);
  return { firstSample, offset };
}

/** The 7-byte ADTS header (no CRC) for a raw AAC frame of `frameBytes` under `config`. */
export function adtsHeader(config: AacConfig, frameBytes: number): Uint8Array {
  const length = frameBytes + 7;
  const { objectType, frequencyIndex, channelConfig } = config;
  return Uint8Array.of(
    0xff,
    0xf1,
    (((objectType - 1) & 3) << 6) | (frequencyIndex << 2) | (channelConfig >> 2),
    ((channelConfig & 3) << 6) | (length >> 11),
    (length >> 3) & 0xff,
    ((length & 7) << 5) | 0x1f,
    0xfc,
  );
}

/** Raw AAC frames as one ADTS stream (what `decodeAudioData` reads as a `.aac` file). */
export function adtsStream(config: AacConfig, frames: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(frames.reduce((sum, f) => sum + 7 + f.length, 0));
  let at = 0;
  for (const frame of frames) {
    out.set(adtsHeader(config, frame.length), at);
    out.set(frame, at + 7);
    at += 7 + frame.length;
  }
  return out;
}
