/**
 * Ogg Opus for streaming by range (RFC 3533, RFC 7845): pages, the Opus headers and packet
 * durations. A page says (granule position) how many 48 kHz samples of the stream end with its
 * last complete packet, and each Opus packet's first byte says how long it is, so a page whose
 * first packet starts on it knows the exact sample it starts at. Track sample 0 is granule
 * position `preSkip`.
 */

/** One Ogg page. */
export interface OggPage {
  /** Offset in the bytes searched. */
  readonly offset: number;
  /** Offset just past the page. */
  readonly end: number;
  /** Its first packet continues one begun on the page before. */
  readonly continued: boolean;
  /** The stream's last page, whose granule position may cut its last packet short (end trimming). */
  readonly last: boolean;
  /** Granule position (stream samples at 48 kHz, pre-skip included); -1 when no packet ends here. */
  readonly granule: number;
  readonly sequence: number;
  /** Lengths of the packets (or packet pieces) on the page; the last is unfinished when `openEnd`. */
  readonly packets: readonly { readonly offset: number; readonly length: number }[];
  /** The page's last packet continues on the next page. */
  readonly openEnd: boolean;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let bit = 0; bit < 8; bit++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

function pageCrc(bytes: Uint8Array, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) {
    // The CRC field itself (bytes 22–25 of the page) counts as zeros.
    const byte = i - from >= 22 && i - from < 26 ? 0 : bytes[i]!;
    crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  }
  return crc;
}

/** The page at `at` (capture pattern, version 0, whole within `bytes`, CRC right), or null. */
export function parseOggPage(bytes: Uint8Array, at: number): OggPage | null {
  if (at + 27 > bytes.length || bytes[at] !== 0x4f || bytes[at + 1] !== 0x67 || bytes[at + 2] !== 0x67 || bytes[at + 3] !== 0x53 || bytes[at + 4] !== 0) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const segments = bytes[at + 26]!;
  const bodyAt = at + 27 + segments;
  if (bodyAt > bytes.length) return null;
  const packets: { offset: number; length: number }[] = [];
  let length = 0;
  let cursor = bodyAt;
  for (let i = 0; i < segments; i++) {
    const lacing = bytes[at + 27 + i]!;
    length += lacing;
    if (lacing < 255) {
      packets.push({ offset: cursor, length });
      cursor += length;
      length = 0;
    }
  }
  const openEnd = segments > 0 && bytes[at + 26 + segments]! === 255;
  if (openEnd) packets.push({ offset: cursor, length });
  const end = cursor + (openEnd ? length : 0);
  if (end > bytes.length || pageCrc(bytes, at, end) !== view.getUint32(at + 22, true)) return null;
  const low = view.getUint32(at + 6, true);
  const high = view.getInt32(at + 10, true);
  return { offset: at, end, continued: (bytes[at + 5]! & 1) === 1, last: (bytes[at + 5]! & 4) === 4, granule: high === -1 && low === 0xffffffff ? -1 : high * 2 ** 32 + low, sequence: view.getUint32(at + 18, true), packets, openEnd };
}

/** The run of consecutive pages (each starting where the one before ends) from the first page found in `bytes`. */
export function findOggPages(bytes: Uint8Array): OggPage[] {
  for (let at = 0; at + 27 <= bytes.length; at++) {
    const first = parseOggPage(bytes, at);
    if (!first) continue;
    const pages = [first];
    for (let next = parseOggPage(bytes, first.end); next; next = parseOggPage(bytes, next.end)) pages.push(next);
    return pages;
  }
  return [];
}

/** Samples (at 48 kHz) one Opus packet decodes to, from its TOC byte (RFC 6716 §3.1); 0 for an empty one. */
export function opusPacketSamples(bytes: Uint8Array, offset: number, length: number): number {
  if (length < 1) return 0;
  const toc = bytes[offset]!;
  const config = toc >> 3;
  const frame = config < 12 ? [480, 960, 1920, 2880][config & 3]! : config < 16 ? [480, 960][config & 1]! : [120, 240, 480, 960][config & 3]!;
  const code = toc & 3;
  const frames = code === 0 ? 1 : code < 3 ? 2 : length > 1 ? bytes[offset + 1]! & 0x3f : 0;
  return frame * frames;
}

/**
 * The stream sample (granule units) at which the page's first packet starts, or null when the
 * page cannot tell (its first packet began on an earlier page, no packet ends on it, or it is
 * the last page, whose granule position trims the end).
 */
export function pageStartGranule(bytes: Uint8Array, page: OggPage): number | null {
  if (page.continued || page.last || page.granule < 0) return null;
  const complete = page.openEnd ? page.packets.slice(0, -1) : page.packets;
  return page.granule - complete.reduce((sum, p) => sum + opusPacketSamples(bytes, p.offset, p.length), 0);
}

/** An Ogg Opus file's head: its headers, and where the audio pages start. */
export interface OpusHead {
  readonly channels: number;
  readonly preSkip: number;
  /** File offset of the first audio page. */
  readonly audioStart: number;
  /** The header pages (OpusHead, OpusTags) as they are in the file: every decodable piece starts with them. */
  readonly headerPages: Uint8Array;
}

/**
 * The Opus headers at the start of `bytes` (a prefix of the file): the `OpusHead` page, the
 * `OpusTags` pages after it. Null when not Ogg Opus, or the tags run past the prefix.
 */
export function parseOpusHead(bytes: Uint8Array): OpusHead | null {
  const first = parseOggPage(bytes, 0);
  const head = first?.packets[0];
  if (!first || !head || head.length < 19 || String.fromCharCode(...bytes.subarray(head.offset, head.offset + 8)) !== "OpusHead") return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // OpusTags ends a page (RFC 7845 §3): the audio starts on the page after the one it ends on.
  let page: OggPage | null = parseOggPage(bytes, first.end);
  while (page && page.openEnd) page = parseOggPage(bytes, page.end);
  if (!page) return null;
  return { channels: bytes[head.offset + 9]!, preSkip: view.getUint16(head.offset + 10, true), audioStart: page.end, headerPages: bytes.slice(0, page.end) };
}

/** The granule position of the last page in `bytes` (the end of a file), or null when none is found. */
export function lastGranule(bytes: Uint8Array): number | null {
  for (let at = bytes.length - 27; at >= 0; at--) {
    const page = bytes[at] === 0x4f ? parseOggPage(bytes, at) : null;
    if (page && page.granule >= 0) return page.granule;
  }
  return null;
}
