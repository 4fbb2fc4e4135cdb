import { type SignalCode, type SweepSpec, signalValueAt } from "../src/index.js";
import { fftFor, realSpectrum } from "../src/spectrum.js";

/** Seeded uniform RNG in [0, 1) (mulberry32): every synthetic room is reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples (Box–Muller) from a uniform source. */
export function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * A room impulse response: the direct path (1 at sample 0) and, from 3 ms on, exponentially
 * decaying Gaussian noise reaching −60 dB after `rt60S`, scaled so the reverberant energy is
 * `reverbToDirect` times the direct energy (a listener a few metres away: ≈ 0.5–1).
 */
export function roomImpulse(sampleRate: number, rt60S: number, reverbToDirect: number, random: () => number): Float32Array {
  const normal = gaussian(random);
  const length = Math.round(rt60S * sampleRate);
  const start = Math.round(0.003 * sampleRate);
  const tail = new Float64Array(length);
  let energy = 0;
  for (let n = start; n < length; n++) {
    tail[n] = normal() * Math.exp((-6.91 * (n / sampleRate)) / rt60S);
    energy += tail[n]! * tail[n]!;
  }
  const scale = Math.sqrt(reverbToDirect / energy);
  const out = new Float32Array(length);
  for (let n = start; n < length; n++) out[n] = tail[n]! * scale;
  out[0] = 1;
  return out;
}

/** Linear convolution through one FFT size (the tests' room is long; direct convolution is slow). */
export function convolve(a: Float32Array, b: Float32Array): Float32Array {
  const fft = fftFor(a.length + b.length);
  const size = fft.size;
  const x = realSpectrum(fft, a);
  const y = realSpectrum(fft, b);
  const product = fft.createComplexArray() as number[];
  for (let i = 0; i < size; i++) {
    product[2 * i] = x[2 * i]! * y[2 * i]! - x[2 * i + 1]! * y[2 * i + 1]!;
    product[2 * i + 1] = x[2 * i]! * y[2 * i + 1]! + x[2 * i + 1]! * y[2 * i]!;
  }
  const result = fft.createComplexArray() as number[];
  fft.inverseTransform(result, product);
  const out = new Float32Array(a.length + b.length - 1);
  for (let i = 0; i < out.length; i++) out[i] = result[2 * i]!;
  return out;
}

/** One device heard at the microphone: its signal (`code`, default the rising sweep) starts `delayS` into the recording, at `gain`. */
export interface Arrival {
  readonly delayS: number;
  readonly gain: number;
  readonly code?: SignalCode;
}

export interface MicOptions {
  readonly sweep: SweepSpec;
  readonly sampleRate: number;
  readonly lengthS: number;
  readonly arrivals: readonly Arrival[];
  readonly room?: Float32Array;
  /** Noise RMS relative to a unit-gain sweep's RMS (dB below it); absent: no noise. */
  readonly snrDb?: number;
  /** Clip at ±this after everything is summed (a microphone preamp overdriven). */
  readonly clipAt?: number;
  readonly random: () => number;
}

/** What the microphone records: every arrival (fractionally delayed), the room, noise, clipping. */
export function micSignal(options: MicOptions): Float32Array {
  const { sampleRate, sweep } = options;
  let dry: Float32Array = new Float32Array(Math.round(options.lengthS * sampleRate));
  for (const { delayS, gain, code = 0 } of options.arrivals) {
    const first = Math.max(0, Math.floor(delayS * sampleRate));
    const last = Math.min(dry.length, Math.ceil((delayS + sweep.durationMs / 1000) * sampleRate) + 1);
    for (let n = first; n < last; n++) dry[n] = dry[n]! + gain * signalValueAt(sweep, code, n / sampleRate - delayS);
  }
  if (options.room) dry = convolve(dry, options.room).subarray(0, dry.length);
  if (options.snrDb !== undefined) {
    const normal = gaussian(options.random);
    // A full-scale sine's RMS is 1/√2; the noise sits snrDb below it.
    const noiseRms = Math.SQRT1_2 * 10 ** (-options.snrDb / 20);
    for (let n = 0; n < dry.length; n++) dry[n] = dry[n]! + noiseRms * normal();
  }
  if (options.clipAt !== undefined) {
    const clip = options.clipAt;
    for (let n = 0; n < dry.length; n++) dry[n] = Math.max(-clip, Math.min(clip, dry[n]!));
  }
  return dry;
}

/** The value below which `fraction` of `values` lie (nearest rank). */
export function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}
