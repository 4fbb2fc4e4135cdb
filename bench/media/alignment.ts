/**
 * Alignment of a rendered pulse track against its schedule (pure): every pulse the capture holds
 * is located and compared with the context frame the schedule puts it at.
 */
import { locatePulse, PULSE_EVERY_FRAMES, PULSE_RATE, pulseFrame } from "./pulses.js";

/** Rendered minus scheduled time of the pulses found, ms (positive: late). */
export interface Alignment {
  readonly pulses: number;
  /** Pulses due within the capture (from the first rendered sample on): a pulse not found among them is missing. */
  readonly searched: number;
  readonly meanMs: number | null;
  readonly spreadMs: number | null;
  /** Track time (s) of the last pulse found: a track played to its end shows its last pulse. */
  readonly lastPulseS: number | null;
}

/** How far from its scheduled place a pulse is searched for, in seconds. */
const SEARCH_S = 0.1;

/**
 * The capture's sparse records (capture-worklet.ts: `[context frame, n, n samples]…`) as one
 * contiguous run of samples from the first recorded frame, silence (quanta not kept) as zeros.
 */
export function denseCapture(records: readonly number[]): { readonly firstFrame: number; readonly samples: Float32Array } | null {
  if (records.length < 2) return null;
  const firstFrame = records[0]!;
  let end = firstFrame;
  for (let i = 0; i + 1 < records.length; i += 2 + records[i + 1]!) end = records[i]! + records[i + 1]!;
  const samples = new Float32Array(end - firstFrame);
  for (let i = 0; i + 1 < records.length; i += 2 + records[i + 1]!) {
    const n = records[i + 1]!;
    samples.set(records.slice(i + 2, i + 2 + n), records[i]! - firstFrame);
  }
  return { firstFrame, samples };
}

/**
 * `records` from capture-worklet.ts at context rate `sampleRate`; the track (pulse rate) was
 * started at context time `when` from `offsetMs`, rate 1.
 */
export function alignmentOf(records: readonly number[], sampleRate: number, when: number, offsetMs: number): Alignment {
  const none = { pulses: 0, searched: 0, meanMs: null, spreadMs: null, lastPulseS: null };
  const capture = denseCapture(records);
  if (!capture) return none;
  const { firstFrame, samples } = capture;
  const contextFrameOf = (trackFrame: number) => (when + (trackFrame - (offsetMs / 1000) * PULSE_RATE) / PULSE_RATE) * sampleRate;
  const errors: number[] = [];
  let lastPulse = 0;
  let searched = 0;
  const firstPulse = Math.max(1, Math.ceil(((offsetMs / 1000) * PULSE_RATE) / PULSE_EVERY_FRAMES));
  for (let k = firstPulse; ; k++) {
    const expected = contextFrameOf(pulseFrame(k)) - firstFrame;
    // The capture ends with the last loud quantum, inside the last pulse rendered: a pulse that
    // starts within it is searched (the rest reads as zeros).
    if (expected >= samples.length) break;
    if (expected - SEARCH_S * sampleRate < 0) continue;
    searched++;
    const found = locatePulse(samples, expected, SEARCH_S * sampleRate);
    if (found === null) continue;
    errors.push(((found - expected) / sampleRate) * 1000);
    lastPulse = k;
  }
  if (errors.length === 0) return { ...none, searched };
  const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
  return { pulses: errors.length, searched, meanMs: mean, spreadMs: Math.max(...errors) - Math.min(...errors), lastPulseS: pulseFrame(lastPulse) / PULSE_RATE };
}
