/**
 * The per-device output latency offset lives in localStorage: it belongs to the device's speakers,
 * and to the output route when the browser tells routes apart (a phone's speaker and the Bluetooth
 * speaker it pairs with lag very differently). The default route keeps the original key.
 */
const KEY = "syncBeats.outputLatencyOffsetMs";
export const MAX_OFFSET_MS = 1000;
/** Acoustic calibration measures to a fraction of a millisecond; a hundredth is kept. */
const STEP_MS = 0.01;

function keyFor(route: string): string {
  return route === "default" ? KEY : `${KEY}@${route}`;
}

export function clampOffset(ms: number): number {
  if (!Number.isFinite(ms)) return 0;
  return Math.max(-MAX_OFFSET_MS, Math.min(MAX_OFFSET_MS, Math.round(ms / STEP_MS) * STEP_MS));
}

export function readOutputLatencyOffset(route = "default"): number {
  try {
    return clampOffset(Number(window.localStorage.getItem(keyFor(route)) ?? 0));
  } catch {
    return 0;
  }
}

export function writeOutputLatencyOffset(ms: number, route = "default"): void {
  try {
    window.localStorage.setItem(keyFor(route), String(clampOffset(ms)));
  } catch {
    // Private mode or storage disabled: the setting lasts for this page only.
  }
}
