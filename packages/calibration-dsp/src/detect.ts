import { correlationEnvelope } from "./correlate.js";
import { argMax, parabolicPeak } from "./peak.js";

/**
 * Below this peak-to-noise ratio an arrival is refused, never reported. White noise alone peaks at
 * ≈ 10 dB over its own RMS across a second of lags (Rayleigh maximum); 15 dB leaves a margin
 * that pure noise crosses with odds below 1e-9 per search.
 */
export const DEFAULT_THRESHOLD_DB = 15;

/** Confidence reported when the floor is exactly zero (a digital, noiseless signal). */
export const MAX_CONFIDENCE_DB = 120;

/** Where and how to look for one arrival. */
export interface DetectOptions {
  readonly sampleRate: number;
  /** First sample at which the signal may start. */
  readonly fromSample: number;
  /** Sample (exclusive) before which it must start. */
  readonly toSample: number;
  /** Refusal threshold (peak-to-noise, dB); default {@link DEFAULT_THRESHOLD_DB}. */
  readonly thresholdDb?: number;
}

/**
 * One arrival found (`arrivalSample`: where the signal starts in the recording, fractional), or
 * refused with the reason. `confidenceDb` is the matched filter's peak over the RMS of the rest of
 * the search window, in dB, either way.
 */
export type Detection =
  | { readonly heard: true; readonly arrivalSample: number; readonly confidenceDb: number }
  | { readonly heard: false; readonly reason: "below-threshold" | "outside-recording"; readonly confidenceDb: number };

/** Lags this close to the peak belong to it (the envelope's main lobe), not to the noise floor. */
const PEAK_GUARD_MS = 2;
/** An earlier peak this close before the tallest, and at least this high, is the direct path. */
const DIRECT_PATH_LOOKBACK_MS = 20;
const DIRECT_PATH_RATIO = 0.5;

/**
 * Finds where `template` starts in `recording` within a window, by matched filtering, with the
 * peak interpolated to a fraction of a sample; refuses below the threshold.
 */
export function detectArrival(recording: Float32Array, template: Float32Array, options: DetectOptions): Detection {
  const from = Math.max(0, Math.floor(options.fromSample));
  const to = Math.min(recording.length - template.length + 1, Math.ceil(options.toSample));
  if (to - from < 3) return { heard: false, reason: "outside-recording", confidenceDb: 0 };
  const envelope = correlationEnvelope(recording.subarray(from, to + template.length - 1), template);
  const tallest = argMax(envelope);
  const peakValue = envelope[tallest] ?? 0;
  if (!(peakValue > 0)) return { heard: false, reason: "below-threshold", confidenceDb: 0 };
  const msToSamples = (ms: number) => Math.max(1, Math.round((ms / 1000) * options.sampleRate));
  const peak = directPath(envelope, tallest, msToSamples(DIRECT_PATH_LOOKBACK_MS));
  const confidenceDb = peakToNoiseDb(envelope, peak, msToSamples(PEAK_GUARD_MS));
  if (confidenceDb < (options.thresholdDb ?? DEFAULT_THRESHOLD_DB)) {
    return { heard: false, reason: "below-threshold", confidenceDb };
  }
  return { heard: true, arrivalSample: from + parabolicPeak(envelope, peak), confidenceDb };
}

/**
 * A reflection can only come after the sound it reflects: when a strong local peak precedes the
 * tallest one by little, the tallest is a reflection adding up and the earlier one is the direct
 * path (whose timing is what a listener hears first).
 */
function directPath(envelope: Float64Array, tallest: number, lookback: number): number {
  const floor = DIRECT_PATH_RATIO * envelope[tallest]!;
  for (let i = Math.max(1, tallest - lookback); i < tallest; i++) {
    const value = envelope[i]!;
    if (value >= floor && value >= envelope[i - 1]! && value >= envelope[i + 1]!) return i;
  }
  return tallest;
}

function peakToNoiseDb(envelope: Float64Array, peak: number, guard: number): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < envelope.length; i++) {
    if (Math.abs(i - peak) <= guard) continue;
    sum += envelope[i]! * envelope[i]!;
    count++;
  }
  const floor = count === 0 ? 0 : Math.sqrt(sum / count);
  if (floor === 0) return MAX_CONFIDENCE_DB;
  return Math.min(MAX_CONFIDENCE_DB, 20 * Math.log10(envelope[peak]! / floor));
}
