/**
 * The one decode step of every compressed source (SPEC M15): a format says how a span splits
 * into codec frames (a {@link CodedSpan}) and what its decoder config is; this decodes it — by
 * WebCodecs `AudioDecoder` where the browser supports the config, else by `decodeAudioData` on
 * the span as a file of its own, chosen once per track — and cuts the exact samples.
 *
 * Where decoded sample 0 lies: the span's first frame starts at track sample `firstSample`
 * (negative inside the encoder delay or pre-skip) and the decoder may leave samples out at the
 * start. `AudioDecoder` leaves out what its length says (the frames' samples less what came
 * out, SPEC M16); a `decodeAudioData` file says it in `fileDropped`, per format.
 */
import type { FrameSpan } from "./chunk-plan.js";
import type { DecodedChunk } from "./track-source.js";
import { monotonicMs } from "./windowed-source.js";
import { decodeWithWebCodecs, type DecodedPcm, type EncodedFrames, type OnMainThread } from "./webcodecs-decode.js";

/** Span timings kept per track (the latest). */
const KEPT_TIMINGS = 512;

/** Which decoder a track's spans go through. */
export type DecoderKind = "webcodecs" | "decodeAudioData";

/** One span's codec frames, and the same as a file of its own (the fallback's input). */
export interface CodedSpan extends EncodedFrames {
  /** The track sample at which the first frame's first sample lies. */
  readonly firstSample: number;
  /** The frames as a file `decodeAudioData` reads (raw MP3 frames, ADTS, Ogg pages, a FLAC stream). */
  file(): ArrayBuffer;
  /** Samples `decodeAudioData` leaves out at the start of that file, from its decoded length. */
  fileDropped(decodedLength: number): number;
}

/** What a track's decoding has done (the engine's debug figures; bench:decode reads them). */
export interface DecodeStats {
  /** The decoder chosen for the track (SPEC M15). */
  readonly decoder: DecoderKind;
  /** What `AudioDecoder.isConfigSupported` answered (null where there is no `AudioDecoder`). */
  readonly configSupported: boolean | null;
  /** Spans decoded, and those of them that fell back to `decodeAudioData` after an `AudioDecoder` error. */
  spans: number;
  fallbacks: number;
  /** Samples the decoder left out at the start of the latest span (the per-codec start fact, SPEC M16). */
  droppedAtStart: number | null;
  /** Per span decoded: wall ms from the decode call to the cut chunk, and main-thread ms in the engine's own calls (decode calls, output callbacks, copies, the cut); the latest 512. */
  readonly wallMs: number[];
  readonly busyMs: number[];
  /** ...and the frames each gave. */
  readonly frames: number[];
}

/** Decodes a track's spans into exact chunks. */
export interface TrackDecoder {
  readonly stats: DecodeStats;
  /** Track frames `[span.start, span.end)` of `coded` (fewer where the decode ends sooner); null when none. */
  decode(coded: CodedSpan, span: FrameSpan, totalFrames: number, signal: AbortSignal): Promise<DecodedChunk | null>;
}

/** Decoded samples `[skip, skip + count)` are track frames `[span.start, …)`; null when the decode does not reach the span. */
export function cutRange(decodedFirstSample: number, decodedLength: number, span: FrameSpan, totalFrames: number): { skip: number; count: number } | null {
  const skip = span.start - decodedFirstSample;
  const count = Math.min(span.end, totalFrames, decodedFirstSample + decodedLength) - span.start;
  return skip < 0 || count <= 0 ? null : { skip, count };
}

/** Samples a decoder left out at a span's start: what the frames hold less what came out. */
export function droppedAtStart(frameSamples: readonly number[], decodedLength: number): number {
  return Math.max(0, frameSamples.reduce((sum, n) => sum + n, 0) - decodedLength);
}

const pcmOf = (buffer: AudioBuffer): DecodedPcm => ({
  sampleRate: buffer.sampleRate,
  length: buffer.length,
  numberOfChannels: buffer.numberOfChannels,
  copyChannel: (c, from, into) => buffer.copyFromChannel(into, c, from),
  close: () => undefined,
});

/** Whether this browser's `AudioDecoder` takes `config` (null where there is none). */
async function webCodecsSupport(config: AudioDecoderConfig): Promise<boolean | null> {
  if (typeof AudioDecoder !== "function" || typeof EncodedAudioChunk !== "function") return null;
  try {
    return (await AudioDecoder.isConfigSupported(config)).supported === true;
  } catch {
    return false;
  }
}

/**
 * The decoder for a track under `config` (its codec, rate, channels and description), chosen
 * once: WebCodecs when `AudioDecoder.isConfigSupported(config)` says yes; else `decodeAudioData`
 * in an OfflineAudioContext at the file's rate (so nothing is resampled per chunk: Web Audio
 * resamples once, on playback). A span the `AudioDecoder` fails on is decoded by the fallback.
 */
export async function openTrackDecoder(ctx: BaseAudioContext, config: AudioDecoderConfig): Promise<TrackDecoder> {
  const configSupported = await webCodecsSupport(config);
  const stats: DecodeStats = { decoder: configSupported ? "webcodecs" : "decodeAudioData", configSupported, spans: 0, fallbacks: 0, droppedAtStart: null, wallMs: [], busyMs: [], frames: [] };
  const offline = typeof OfflineAudioContext === "function" ? new OfflineAudioContext(config.numberOfChannels, 1, config.sampleRate) : ctx;
  const viaFile = async (coded: CodedSpan, onMain: OnMainThread) => {
    const decoded = pcmOf(await onMain(() => offline.decodeAudioData(coded.file())));
    return { decoded, firstSample: coded.firstSample + coded.fileDropped(decoded.length) };
  };
  const viaWebCodecs = async (coded: CodedSpan, signal: AbortSignal, onMain: OnMainThread) => {
    const decoded = await decodeWithWebCodecs(config, coded, signal, onMain);
    // Nothing out of frames in, without an error, is a failure too: the fallback decodes the span.
    if (decoded.length === 0 && coded.frames.length > 0) throw new Error("AudioDecoder gave no samples");
    return { decoded, firstSample: coded.firstSample + droppedAtStart(coded.frameSamples, decoded.length) };
  };

  /** The span by the track's decoder; by the fallback when the `AudioDecoder` fails on it. */
  const decodeBoth = async (coded: CodedSpan, signal: AbortSignal, onMain: OnMainThread) => {
    if (stats.decoder !== "webcodecs") return viaFile(coded, onMain);
    try {
      return await viaWebCodecs(coded, signal, onMain);
    } catch (error) {
      if (signal.aborted) throw error;
      stats.fallbacks++;
      return viaFile(coded, onMain);
    }
  };

  return {
    stats,
    async decode(coded, span, totalFrames, signal) {
      const started = monotonicMs();
      const meter = busyMeter();
      const { decoded, firstSample } = await decodeBoth(coded, signal, meter.onMain);
      if (signal.aborted) decoded.close();
      signal.throwIfAborted();
      const chunk = meter.onMain(() => cutChunk(ctx, decoded, firstSample, span, totalFrames));
      stats.spans++;
      stats.droppedAtStart = firstSample - coded.firstSample;
      stats.wallMs.push(monotonicMs() - started);
      stats.busyMs.push(meter.busyMs());
      stats.frames.push(chunk ? chunk.end - chunk.start : 0);
      if (stats.wallMs.length > KEPT_TIMINGS) for (const kept of [stats.wallMs, stats.busyMs, stats.frames]) kept.shift();
      return chunk;
    },
  };
}

/** Counts the synchronous time of the work it runs. */
function busyMeter(): { onMain: OnMainThread; busyMs: () => number } {
  let busy = 0;
  return {
    onMain: (work) => {
      const from = monotonicMs();
      try {
        return work();
      } finally {
        busy += monotonicMs() - from;
      }
    },
    busyMs: () => busy,
  };
}

/** Track frames `[span.start, …)` of `decoded` (whose sample 0 is track sample `firstSample`) as a chunk; releases `decoded`. */
function cutChunk(ctx: BaseAudioContext, decoded: DecodedPcm, firstSample: number, span: FrameSpan, totalFrames: number): DecodedChunk | null {
  try {
    const cut = cutRange(firstSample, decoded.length, span, totalFrames);
    if (!cut) return null;
    const buffer = ctx.createBuffer(decoded.numberOfChannels, cut.count, decoded.sampleRate);
    for (let c = 0; c < decoded.numberOfChannels; c++) decoded.copyChannel(c, cut.skip, buffer.getChannelData(c));
    return { start: span.start, end: span.start + cut.count, buffer };
  } finally {
    decoded.close();
  }
}
