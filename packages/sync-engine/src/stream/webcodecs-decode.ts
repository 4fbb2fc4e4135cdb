/**
 * One span's codec frames through a WebCodecs `AudioDecoder`: each frame an `EncodedAudioChunk`
 * (all key frames, timestamps from 0), flushed, and every `AudioData` copied out as float32
 * channels. A fresh decoder per span, so a span decodes the same whatever came before it (as a
 * `decodeAudioData` of the span's own file does).
 */

/** Decoded samples, one float32 array per channel, at `sampleRate`. */
export interface DecodedPcm {
  readonly sampleRate: number;
  readonly length: number;
  readonly channels: readonly Float32Array<ArrayBuffer>[];
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

/** Joins decoded pieces, in order, into one run of channels. */
export function joinPieces(sampleRate: number, channels: number, pieces: readonly (readonly Float32Array<ArrayBuffer>[])[]): DecodedPcm {
  const length = pieces.reduce((sum, piece) => sum + piece[0]!.length, 0);
  const joined = Array.from({ length: channels }, () => new Float32Array(length));
  let at = 0;
  for (const piece of pieces) {
    piece.forEach((channel, c) => joined[c]!.set(channel, at));
    at += piece[0]!.length;
  }
  return { sampleRate, length, channels: joined };
}

/** `data`'s samples as float32 channels (converted by the browser where it can, else here). */
function channelsOf(data: AudioData): Float32Array<ArrayBuffer>[] {
  const { numberOfChannels: channels, numberOfFrames: frames } = data;
  if (data.format === "f32-planar") {
    return Array.from({ length: channels }, (_, c) => {
      const out = new Float32Array(frames);
      data.copyTo(out, { planeIndex: c });
      return out;
    });
  }
  const planes = Array.from({ length: data.format?.endsWith("-planar") ? channels : 1 }, (_, p) => {
    const out = new Uint8Array(data.allocationSize({ planeIndex: p }));
    data.copyTo(out, { planeIndex: p });
    return out;
  });
  return planarFloat32(data.format ?? "f32", channels, frames, planes);
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
  const pieces: Float32Array<ArrayBuffer>[][] = [];
  let failure: Error | null = null;
  const collect = (data: AudioData): void => {
    try {
      if (data.sampleRate !== config.sampleRate || data.numberOfChannels !== config.numberOfChannels) {
        throw new Error(`AudioDecoder gave ${data.numberOfChannels} ch at ${data.sampleRate} Hz for ${config.numberOfChannels} at ${config.sampleRate}`);
      }
      pieces.push(channelsOf(data));
    } catch (error) {
      failure ??= error as Error;
    } finally {
      data.close();
    }
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
    return onMain(() => joinPieces(config.sampleRate, config.numberOfChannels, pieces));
  } finally {
    signal.removeEventListener("abort", abort);
    abort();
  }
}
