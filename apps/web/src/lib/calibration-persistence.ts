import type { AudioOutput, SyncEngine } from "@sync-beats/sync-engine";
import { writeOutputLatencyOffset } from "./latency-offset-store";

/**
 * Persists the output offset a calibration run changed, per output route (CAL15): the engine
 * applies the correction at once; this keeps it for the next visit. Returns the unsubscribe.
 */
export function persistCalibratedOffsets(engine: SyncEngine, audio: AudioOutput): () => void {
  let persisted: string | null = null;
  return engine.subscribe(() => {
    const run = engine.getCalibration();
    if (run.phase !== "done" || run.applied === null || run.calibrationId === persisted) return;
    persisted = run.calibrationId;
    writeOutputLatencyOffset(engine.getSnapshot().stats.outputLatencyOffsetMs, audio.outputRoute?.() ?? "default");
  });
}
