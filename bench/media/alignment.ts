/**
 * Alignment of a rendered pulse track against its schedule (pure): every pulse the capture holds
 * is located and compared with the context frame the schedule puts it at.
 */
import { locatePulse, PULSE_EVERY_FRAMES, PULSE_FRAMES, PULSE_RATE, pulseFrame } from "./pulses.js";

/** Rendered minus scheduled time of the pulses found, ms (positive: late). */
export interface Alignment {
  readonly pulses: number;
  readonly meanMs: number | null;
  readonly spreadMs: number | null;
}

/** How far from its scheduled place a pulse is searched for, in seconds. */
const SEARCH_S = 0.1;

/**
 * `records` from capture-worklet.ts (`[first frame, samples…]`) at context rate `sampleRate`;
 * the track (pulse rate) was started at context time `when` from `offsetMs`, rate 1.
 */
export function alignmentOf(records: readonly number[], sampleRate: number, when: number, offsetMs: number): Alignment {
  if (records.length < 2) return { pulses: 0, meanMs: null, spreadMs: null };
  const firstFrame = records[0]!;
  const samples = Float32Array.from(records.slice(1));
  const contextFrameOf = (trackFrame: number) => (when + (trackFrame - (offsetMs / 1000) * PULSE_RATE) / PULSE_RATE) * sampleRate;
  const errors: number[] = [];
  const firstPulse = Math.max(1, Math.ceil(((offsetMs / 1000) * PULSE_RATE) / PULSE_EVERY_FRAMES));
  for (let k = firstPulse; ; k++) {
    const expected = contextFrameOf(pulseFrame(k)) - firstFrame;
    if (expected + PULSE_FRAMES + SEARCH_S * sampleRate >= samples.length) break;
    if (expected - SEARCH_S * sampleRate < 0) continue;
    const found = locatePulse(samples, expected, SEARCH_S * sampleRate);
    if (found !== null) errors.push(((found - expected) / sampleRate) * 1000);
  }
  if (errors.length === 0) return { pulses: 0, meanMs: null, spreadMs: null };
  const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
  return { pulses: errors.length, meanMs: mean, spreadMs: Math.max(...errors) - Math.min(...errors) };
}
