/**
 * Finds an M4A's AAC track by HTTP range: the top-level boxes are walked from the head (an
 * encoder that does not "faststart" writes the `moov` after the `mdat`, at the end of the file;
 * one header read there fetches it), and the `moov` is read box by box, every body but the sample
 * sizes' (`stsz`, 4 bytes a frame: 620 KB for an hour), which the source reads by range as it
 * plays (aac-source.ts).
 */
import type { TrackFetch } from "./track-source.js";
import {
  AAC_RATES,
  handlerType,
  headerTimescale,
  parseChunkLayout,
  parseElst,
  parseItunSmpb,
  parseMp4aConfig,
  parseStts,
  readBoxHeader,
  type AacConfig,
  type BoxHeader,
  type ChunkLayout,
  type ItunesGapless,
} from "./mp4.js";
import { fetchByteRange } from "./byte-range.js";

/** Samples an AAC-LC frame decodes to. */
export const AAC_FRAME_SAMPLES = 1024;

/** Reads `[from, to)` of the file. */
export interface RangeReader {
  /** A read missing from what is kept fetches at least `atLeast` bytes. */
  bytes(from: number, to: number, signal?: AbortSignal, atLeast?: number): Promise<Uint8Array>;
}

/** A read missing from the kept pieces fetches at least this much (the boxes that follow come with it). */
const MIN_FETCH = 16 * 1024;
/**
 * A top-level box header past the head fetches this much: a `moov` after the `mdat` runs to the
 * file's end, and up to this size (3 minutes of AAC: 31 KB) it comes whole with its header.
 */
const TOP_LEVEL_FETCH = 64 * 1024;
/** Fetched pieces kept besides the head (the `moov`'s, read in a few ranges). */
const KEPT = 4;

/** A reader over `url` that keeps the head and the last few pieces it fetched. */
export function rangeReader(url: string, fileSize: number, download: TrackFetch, head: Uint8Array): RangeReader {
  const pieces: { from: number; bytes: Uint8Array }[] = [];
  return {
    async bytes(from, to, signal, atLeast = MIN_FETCH) {
      for (const piece of [{ from: 0, bytes: head }, ...pieces]) {
        if (from >= piece.from && to <= piece.from + piece.bytes.length) return piece.bytes.subarray(from - piece.from, to - piece.from);
      }
      const end = Math.min(fileSize, Math.max(to, from + atLeast));
      const bytes = await fetchByteRange(download, url, from, end, signal);
      if (bytes.length < to - from) throw new Error(`short range: ${bytes.length} of ${to - from} bytes`);
      pieces.push({ from, bytes });
      if (pieces.length > KEPT) pieces.shift();
      return bytes.subarray(0, to - from);
    },
  };
}

/** An M4A's AAC-LC track, as the streamed source needs it. */
export interface Mp4AacTrack {
  readonly config: AacConfig;
  readonly sampleRate: number;
  readonly channels: number;
  /** AAC frames (MP4 samples) in the track. */
  readonly frameCount: number;
  /** Decoded samples before track sample 0 (the edit list's media time: the encoder delay). */
  readonly leadingTrim: number;
  /** Track length in samples, after the trim (and the edit's end, the padding). */
  readonly totalFrames: number;
  readonly chunks: ChunkLayout;
  /** Where the last chunk's bytes end at most: the end of the `mdat` before the `moov`, else of the file. */
  readonly mediaEnd: number;
  /** Every frame's size, or where the `stsz` entries (4 bytes each) start in the file. */
  readonly sizes: { readonly constant: number } | { readonly entriesAt: number };
}

/** The first AAC-LC audio track of the MP4 file `reader` reads, or null (no `moov`, another codec, an edit list this does not handle). */
export async function readMp4AacTrack(reader: RangeReader, fileSize: number): Promise<Mp4AacTrack | null> {
  const headerAt = async (at: number, limit: number, atLeast?: number): Promise<BoxHeader | null> =>
    at + 8 > limit ? null : readBoxHeader(await reader.bytes(at, Math.min(limit, at + 16), undefined, atLeast), 0, at, limit);
  const children = async (box: BoxHeader): Promise<BoxHeader[]> => {
    const found: BoxHeader[] = [];
    const end = box.start + box.size;
    for (let at = box.start + box.headerSize; at < end; ) {
      const child = await headerAt(at, end);
      if (!child) break;
      found.push(child);
      at += child.size;
    }
    return found;
  };
  const body = (box: BoxHeader, length = box.size - box.headerSize) => reader.bytes(box.start + box.headerSize, box.start + box.headerSize + length);
  const child = async (box: BoxHeader | undefined, type: string) => (box ? (await children(box)).find((b) => b.type === type) : undefined);

  let moov: BoxHeader | undefined;
  let mediaEnd = fileSize;
  for (let at = 0; at < fileSize && !moov; ) {
    const box = await headerAt(at, fileSize, TOP_LEVEL_FETCH);
    if (!box) return null;
    if (box.type === "moov") moov = box;
    if (box.type === "mdat") mediaEnd = box.start + box.size;
    at += box.size;
  }
  if (!moov) return null;
  const moovChildren = await children(moov);
  const mvhd = moovChildren.find((b) => b.type === "mvhd");
  if (!mvhd) return null;
  const movieTimescale = headerTimescale(await body(mvhd));
  for (const trak of moovChildren.filter((b) => b.type === "trak")) {
    const track = await readTrak(trak, movieTimescale);
    if (track) return track;
  }
  return null;

  /** The `iTunSMPB` item of `moov/udta/meta/ilst`, or null; only `----` items are read (a cover in `covr` is not). */
  async function itunesGapless(): Promise<ItunesGapless | null> {
    const meta = await child(moovChildren.find((b) => b.type === "udta"), "meta");
    // `meta` is a full box: its children start after 4 bytes of version and flags.
    const ilst = meta && (await children({ ...meta, headerSize: meta.headerSize + 4 })).find((b) => b.type === "ilst");
    for (const item of ilst ? (await children(ilst)).filter((b) => b.type === "----") : []) {
      const gapless = parseItunSmpb(await body(item));
      if (gapless) return gapless;
    }
    return null;
  }

  async function readTrak(trak: BoxHeader, movieTimescale: number): Promise<Mp4AacTrack | null> {
    const mdia = await child(trak, "mdia");
    const hdlr = await child(mdia, "hdlr");
    const mdhd = await child(mdia, "mdhd");
    const stbl = await child(await child(mdia, "minf"), "stbl");
    if (!hdlr || !mdhd || !stbl || handlerType(await body(hdlr)) !== "soun") return null;
    const tables = new Map((await children(stbl)).map((b) => [b.type, b]));
    const [stsd, stts, stsc, stsz] = ["stsd", "stts", "stsc", "stsz"].map((t) => tables.get(t));
    const chunkOffsets = tables.get("stco") ?? tables.get("co64");
    if (!stsd || !stts || !stsc || !stsz || !chunkOffsets) return null;
    const config = parseMp4aConfig(await body(stsd));
    const sampleRate = AAC_RATES[config?.frequencyIndex ?? 15];
    if (!config || config.objectType !== 2 || sampleRate !== headerTimescale(await body(mdhd))) return null;
    if (config.channelConfig < 1 || config.channelConfig > 7) return null;
    const timing = parseStts(await body(stts), AAC_FRAME_SAMPLES);
    const sizeHeader = new DataView((await body(stsz, 12)).slice().buffer);
    const frameCount = sizeHeader.getUint32(8);
    if (!timing || timing.samples !== frameCount || frameCount === 0) return null;
    const elst = await child(await child(trak, "edts"), "elst");
    // Without an edit list, iTunes' gapless tag says the same (M23), as FFmpeg reads it.
    const gapless = elst ? null : await itunesGapless();
    const edit = elst ? parseElst(await body(elst)) : { mediaTime: gapless?.delay ?? 0, duration: 0 };
    if (!edit) return null;
    const edited = gapless ? gapless.samples : edit.duration > 0 ? Math.round((edit.duration * sampleRate) / movieTimescale) : Infinity;
    const totalFrames = Math.min(timing.streamFrames - edit.mediaTime, edited);
    if (totalFrames <= 0) return null;
    const constant = sizeHeader.getUint32(4);
    return {
      config,
      sampleRate,
      channels: config.channelConfig === 7 ? 8 : config.channelConfig,
      frameCount,
      leadingTrim: edit.mediaTime,
      totalFrames,
      chunks: parseChunkLayout(await body(stsc), await body(chunkOffsets), chunkOffsets.type === "co64", frameCount),
      mediaEnd,
      sizes: constant > 0 ? { constant } : { entriesAt: stsz.start + stsz.headerSize + 12 },
    };
  }
}
