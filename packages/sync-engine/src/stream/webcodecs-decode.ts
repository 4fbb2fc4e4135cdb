/**
 * One span's codec frames through a WebCodecs `AudioDecoder`: each frame an `EncodedAudioChunk`
 * (all key frames, timestamps from 0), flushed; its `AudioData` are kept until the cut copies
 * from them, straight into the chunk's buffer (one copy, as from a `decodeAudioData` buffer). A fresh decoder per span, so a span decodes the same whatever came before it (as a
 * `decodeAudioData` of the span's own file does).
 */

/** A decode's samples at `sampleRate`, read by copying (a decoder's output stays where it is until then). */
export interface DecodedPcm {
  readonly sampleRate: number;
  readonly length: number;
  readonly numberOfChannels: number;
  /** Copies channel `c` from sample `from` into `into` (as many samples as `into` holds, or fewer at the end). */
  copyChannel(c: number, from: number, into: Float32Array<ArrayBuffer>): void;
  /** Releases the decoder's output (after the copies). */
  close(): void;
}

/** The sample formats of WebCodecs `AudioData` (W3C WebCodecs §9.3). */
type SampleFormat = "u8" | "s16" | "s32" | "f32" | "u8-planar" | "s16-planar" | "s32-planar" | "f32-planar";

/** One sample of `format` read from `view` at sample index `i`, as float (−1…1). */
function sampleAt(format: string, view: DataView, i: number): number {
  if (format.startsWith("f32")) return view.getFloat32(4 * i, true);
  if (format.startsWith("s16")) return view.getInt16(2 * i, true) / 0x8000;
  if (format.startsWith("s32")) return view.getInt32(4 * i, true) / 0x80000000;
  return (view.getUint8(i) - 0x80) / 0x80;
}

/**
 * `frames` samples of `channels` channels as float32 planes, from what `AudioData.copyTo`
 * wrote in its own `format`: one buffer per channel for a planar format, one interleaved buffer
 * otherwise. Little-endian, as WebCodecs defines its formats.
 */
export function planarFloat32(format: SampleFormat | string, channels: number, frames: number, planes: readonly Uint8Array[]): Float32Array<ArrayBuffer>[] {
  const planar = format.endsWith("-planar");
  return Array.from({ length: channels }, (_, c) => {
    const bytes = planes[planar ? c : 0]!;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = new Float32Array(frames);
    for (let i = 0; i < frames; i++) out[i] = sampleAt(format, view, planar ? i : i * channels + c);
    return out;
  });
}

/** Where samples `[from, from + count)` of pieces of `lengths` lie: per piece touched, its index, the offset in it, the offset in the output and how many. */
export function pieceRanges(lengths: readonly number[], from: number, count: number): { piece: number; offset: number; at: number; count: number }[] {
  const ranges = [];
  let start = 0;
  for (let piece = 0; piece < lengths.length; piece++) {
    const lo = Math.max(from, start);
    const hi = Math.min(from + count, start + lengths[piece]!);
    if (hi > lo) ranges.push({ piece, offset: lo - start, at: lo - from, count: hi - lo });
    start += lengths[piece]!;
  }
  return ranges;
}

/**
 * Copies channel `c`'s samples `[offset, offset + into.length)` of `data` into `into` as float32:
 * the browser converts (WebCodecs requires conversion to f32-planar); where it will not, this
 * converts the native plane.
 */
function copyFloat32(data: AudioData, c: number, offset: number, into: Float32Array<ArrayBuffer>): void {
  const range = { frameOffset: offset, frameCount: into.length };
  if (data.format === "f32-planar") return data.copyTo(into, { planeIndex: c, ...range });
  try {
    return data.copyTo(into, { planeIndex: c, ...range, format: "f32-planar" });
  } catch {
    const planar = data.format?.endsWith("-planar") ?? false;
    const planes = Array.from({ length: planar ? data.numberOfChannels : 1 }, (_, p) => {
      const plane = new Uint8Array(data.allocationSize({ planeIndex: p }));
      data.copyTo(plane, { planeIndex: p });
      return plane;
    });
    into.set(planarFloat32(data.format ?? "f32", data.numberOfChannels, data.numberOfFrames, planes)[c]!.subarray(offset, offset + into.length));
  }
}

/** The `AudioData` run `pieces`, in order, as one {@link DecodedPcm}. */
function pcmOfAudioData(sampleRate: number, numberOfChannels: number, pieces: readonly AudioData[], onMain: OnMainThread): DecodedPcm {
  const lengths = pieces.map((data) => data.numberOfFrames);
  return {
    sampleRate,
    numberOfChannels,
    length: lengths.reduce((sum, n) => sum + n, 0),
    copyChannel: (c, from, into) =>
      onMain(() => {
        for (const r of pieceRanges(lengths, from, into.length)) copyFloat32(pieces[r.piece]!, c, r.offset, into.subarray(r.at, r.at + r.count));
      }),
    close: () => pieces.forEach((data) => data.close()),
  };
}

/** Runs `work` on the main thread and counts its synchronous time (the decode figures). */
export type OnMainThread = <T>(work: () => T) => T;

/** What {@link decodeWithWebCodecs} needs of a span. */
export interface EncodedFrames {
  readonly frames: readonly Uint8Array[];
  /** Samples each frame decodes to (for the chunks' timestamps and durations). */
  readonly frameSamples: readonly number[];
}

/**
 * Decodes `span` with a new `AudioDecoder` under `config`; rejects on a decoder error, on output
 * at another rate or channel count than the config's, or when `signal` aborts.
 */
export async function decodeWithWebCodecs(config: AudioDecoderConfig, span: EncodedFrames, signal: AbortSignal, onMain: OnMainThread = (work) => work()): Promise<DecodedPcm> {
  const pieces: AudioData[] = [];
  let failure: Error | null = null;
  const collect = (data: AudioData): void => {
    if (failure || data.sampleRate !== config.sampleRate || data.numberOfChannels !== config.numberOfChannels) {
      failure ??= new Error(`AudioDecoder gave ${data.numberOfChannels} ch at ${data.sampleRate} Hz for ${config.numberOfChannels} at ${config.sampleRate}`);
      data.close();
    } else pieces.push(data);
  };
  const decoder = new AudioDecoder({
    output: (data) => onMain(() => collect(data)),
    error: (error) => {
      failure ??= error;
    },
  });
  const abort = () => {
    if (decoder.state !== "closed") decoder.close();
  };
  signal.addEventListener("abort", abort, { once: true });
  try {
    let timestamp = 0;
    onMain(() => {
      decoder.configure(config);
      span.frames.forEach((data, i) => {
        const duration = (span.frameSamples[i]! / config.sampleRate) * 1e6;
        decoder.decode(new EncodedAudioChunk({ type: "key", timestamp: Math.round(timestamp), duration: Math.round(duration), data }));
        timestamp += duration;
      });
    });
    await decoder.flush();
    signal.throwIfAborted();
    if (failure) throw failure;
    return pcmOfAudioData(config.sampleRate, config.numberOfChannels, pieces.splice(0), onMain);
  } finally {
    for (const data of pieces) data.close();
    signal.removeEventListener("abort", abort);
    abort();
  }
}
