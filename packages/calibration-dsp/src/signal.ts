/**
 * The calibration signals: one exponential (logarithmic) sine sweep, rising, and the same sweep
 * time-reversed (falling), played by alternate slots.
 *
 * Why two codes and not one per device: devices play *in turn*, so only neighbouring slots can
 * overlap in a window, and two codes keep those apart (the rising sweep's matched filter answers
 * the falling one 27 dB below its own peak); a code per device would let every device overlap
 * every other, and a loud nearby device would mask a quiet far one's code (the near-far problem).
 * A sweep spends equal energy per octave, so a phone speaker that cannot reproduce the low end
 * still returns most of it; its matched-filter output is one narrow peak (width ≈ 1 / bandwidth)
 * that survives clipping and reverb.
 */

/** What a sweep is, independently of any sample rate: the recorder builds its template from it. */
export interface SweepSpec {
  /** Length of the sweep in milliseconds. */
  readonly durationMs: number;
  /** Frequency at the start, Hz. */
  readonly startHz: number;
  /** Frequency at the end, Hz (above `startHz`). */
  readonly endHz: number;
  /** Raised-cosine fade in and out, ms: keeps clicks (broadband energy outside the sweep) out. */
  readonly fadeMs: number;
}

/**
 * The room's default sweep: 1.5–9 kHz (what phone speakers and microphones reproduce; below
 * Bluetooth codecs' cut-off), 120 ms (≈ 30 dB of processing gain at 48 kHz).
 */
export const DEFAULT_SWEEP: SweepSpec = { durationMs: 120, startHz: 1500, endHz: 9000, fadeMs: 6 };

/** Which signal a slot plays: 0 the rising sweep, 1 the same sweep time-reversed. */
export type SignalCode = 0 | 1;

/** Samples of a sweep at `sampleRate`, peak amplitude `amplitude` (default 0.5). */
export function sweepSamples(spec: SweepSpec, sampleRate: number, amplitude = 0.5): Float32Array {
  return signalSamples(spec, 0, sampleRate, amplitude);
}

/** Samples of signal `code` of `spec` at `sampleRate`, peak amplitude `amplitude` (default 0.5). */
export function signalSamples(spec: SweepSpec, code: SignalCode, sampleRate: number, amplitude = 0.5): Float32Array {
  if (!(spec.startHz > 0 && spec.endHz > spec.startHz && spec.endHz < sampleRate / 2)) {
    throw new RangeError(`sweep ${spec.startHz}-${spec.endHz} Hz does not fit below ${sampleRate / 2} Hz`);
  }
  const out = new Float32Array(Math.round((spec.durationMs / 1000) * sampleRate));
  for (let n = 0; n < out.length; n++) out[n] = amplitude * signalValueAt(spec, code, n / sampleRate);
  return out;
}

/** Signal `code` as a function of continuous time `t` (seconds from its start; 0 outside it), peak 1. */
export function signalValueAt(spec: SweepSpec, code: SignalCode, t: number): number {
  return code === 0 ? sweepValueAt(spec, t) : sweepValueAt(spec, spec.durationMs / 1000 - t);
}

/**
 * The sweep as a function of continuous time `t` (seconds from its start; 0 outside it), peak 1:
 * what {@link sweepSamples} samples, and what a test delays by a fraction of a sample.
 */
export function sweepValueAt(spec: SweepSpec, t: number): number {
  const durationS = spec.durationMs / 1000;
  if (t < 0 || t >= durationS) return 0;
  const logRatio = Math.log(spec.endHz / spec.startHz);
  const phase = ((2 * Math.PI * spec.startHz * durationS) / logRatio) * (Math.exp((t / durationS) * logRatio) - 1);
  const edge = Math.min(t, durationS - t);
  const fadeS = Math.min(durationS / 2, spec.fadeMs / 1000);
  const gain = edge >= fadeS ? 1 : 0.5 - 0.5 * Math.cos((Math.PI * edge) / fadeS);
  return gain * Math.sin(phase);
}
