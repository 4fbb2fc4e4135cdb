import { combineRepeats, median } from "./combine.js";
import { detectArrival } from "./detect.js";
import { searchWindow, type ScheduleShape, type Slot } from "./schedule.js";
import { signalSamples } from "./signal.js";

/** A recording and how its samples map to server time (the recorder's clock map, fitted). */
export interface Recording {
  readonly samples: Float32Array;
  readonly sampleRate: number;
  /** Server instant of sample 0 as the recorder's clock map reads it (its input latency included). */
  readonly startServerMs: number;
  /** Server milliseconds per sample: `1000 / sampleRate` unless the map measured audio-clock skew. */
  readonly msPerSample?: number;
  /** Refusal threshold, dB (default: the detector's). */
  readonly thresholdDb?: number;
}

/**
 * One device's measurement. `latenessMs`: how much later than its instant its sound arrived
 * (repeats combined), the recorder's input latency included — only differences mean anything.
 */
export type DeviceMeasurement =
  | { readonly key: string; readonly heard: true; readonly latenessMs: number; readonly confidenceDb: number }
  | { readonly key: string; readonly heard: false; readonly reason: "below-threshold" | "outside-recording" | "inconsistent"; readonly confidenceDb: number };

/** Finds every slot's arrival in the recording and combines each device's repeats. */
export function measureSlots(recording: Recording, slots: readonly Slot[], shape: ScheduleShape): DeviceMeasurement[] {
  const templates = [signalSamples(shape.sweep, 0, recording.sampleRate), signalSamples(shape.sweep, 1, recording.sampleRate)] as const;
  const msPerSample = recording.msPerSample ?? 1000 / recording.sampleRate;
  const sampleAt = (serverMs: number) => (serverMs - recording.startServerMs) / msPerSample;
  const byKey = new Map<string, { lateness: number[]; confidence: number[]; refusal: DeviceMeasurement | null }>();
  for (const slot of slots) {
    const entry = byKey.get(slot.key) ?? { lateness: [], confidence: [], refusal: null };
    byKey.set(slot.key, entry);
    const window = searchWindow(slot, shape);
    const found = detectArrival(recording.samples, templates[slot.code], {
      sampleRate: recording.sampleRate,
      fromSample: sampleAt(window.fromMs),
      toSample: sampleAt(window.toMs),
      thresholdDb: recording.thresholdDb,
    });
    entry.confidence.push(found.confidenceDb);
    if (found.heard) entry.lateness.push(recording.startServerMs + found.arrivalSample * msPerSample - slot.atServerMs);
    else entry.refusal ??= { key: slot.key, heard: false, reason: found.reason, confidenceDb: found.confidenceDb };
  }
  return [...byKey].map(([key, entry]): DeviceMeasurement => {
    const confidenceDb = Math.min(...entry.confidence);
    // One unheard repeat refuses the device: a repeat that went missing may be the true one.
    if (entry.refusal) return { ...entry.refusal, confidenceDb };
    const combined = combineRepeats(entry.lateness);
    if (!combined.ok) return { key, heard: false, reason: "inconsistent", confidenceDb };
    return { key, heard: true, latenessMs: combined.valueMs, confidenceDb };
  });
}

/**
 * What each heard device must add to its output-latency offset so all arrive together: its
 * lateness minus the room's median lateness (the recorder's input latency, common to all, cancels).
 * Devices not heard get no correction.
 */
export function roomCorrections(measurements: readonly DeviceMeasurement[]): Map<string, number> {
  const heard = measurements.filter((m): m is Extract<DeviceMeasurement, { heard: true }> => m.heard);
  const reference = median(heard.map((m) => m.latenessMs));
  return new Map(heard.map((m) => [m.key, m.latenessMs - reference]));
}
