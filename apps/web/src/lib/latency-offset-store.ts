/** The per-device output latency offset lives in localStorage: it belongs to the device's speakers. */
const KEY = "syncBeats.outputLatencyOffsetMs";
export const MAX_OFFSET_MS = 1000;

export function clampOffset(ms: number): number {
  if (!Number.isFinite(ms)) return 0;
  return Math.max(-MAX_OFFSET_MS, Math.min(MAX_OFFSET_MS, Math.round(ms)));
}

export function readOutputLatencyOffset(): number {
  try {
    return clampOffset(Number(window.localStorage.getItem(KEY) ?? 0));
  } catch {
    return 0;
  }
}

export function writeOutputLatencyOffset(ms: number): void {
  try {
    window.localStorage.setItem(KEY, String(clampOffset(ms)));
  } catch {
    // Private mode or storage disabled: the setting lasts for this page only.
  }
}
