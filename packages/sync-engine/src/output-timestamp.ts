/**
 * Which context time the speaker plays at which `performance.now()` instant, read the way each
 * engine allows (SPEC OT1–OT3, OT6). Pure but for `contextReading`, which reads what it must of a
 * context (and leaves `outputLatency` unread until it is needed).
 */

/** What the caller read from the context, in one synchronous stretch. */
export interface OutputClockReading {
  /** `getOutputTimestamp()`, or undefined where the engine has none. */
  readonly timestamp: { readonly contextTime?: number; readonly performanceTime?: number } | undefined;
  /** `performance.now()` read just before `getOutputTimestamp()` (ms). */
  readonly nowMs: number;
  /** `currentTime` read just after (s). */
  readonly currentTime: number;
  /**
   * Reads `outputLatency` (s; undefined or 0 where the engine does not report it, Safari before
   * 18.4). Called only where the pair cannot say (OT3): Firefox 153 can hang its page for good on
   * that getter while its audio stream starts (OT6), and its pair carries the latency anyway.
   */
  readonly readOutputLatency: () => number | undefined;
  readonly baseLatency: number | undefined;
}

/**
 * What `context` gives {@link speakerTimestamp}, `timestamp` and `nowMs` read by the caller just
 * before: `currentTime` now, `outputLatency` only if the pair cannot say (OT6).
 */
export function contextReading(
  context: Pick<AudioContext, "currentTime" | "baseLatency" | "outputLatency">,
  timestamp: OutputClockReading["timestamp"],
  nowMs: number,
): OutputClockReading {
  return { timestamp, nowMs, currentTime: context.currentTime, baseLatency: context.baseLatency, readOutputLatency: () => context.outputLatency };
}

/** A (context time, speaker instant) pair. */
export interface SpeakerTimestamp {
  readonly contextTime: number;
  readonly performanceTimeMs: number;
  /** Which rule made it: the engine's own pair, Firefox's pair with its latency put back, or the fallback. */
  readonly rule: "OT1" | "OT2" | "OT3";
}

/**
 * Firefox computes both fields at the call, each its output latency off (`currentTime` exactly: it
 * does not move within a task; `now` to the coarse timer step).
 */
const FIREFOX_PERFORMANCE_TOLERANCE_MS = 1.5;

/**
 * - OT1 (Chromium, Safari 18.4+): the pair is the device's own, taken as it is.
 * - OT2 (Firefox): the pair is `(currentTime − outputLatency, now − outputLatency)`, i.e. it says
 *   the frame being rendered now is heard now: the output latency is taken off both sides. Put
 *   back on the speaker instant, it says what the other engines say (heard `outputLatency` later).
 *   Recognised by its two fields lying equally far behind `currentTime` and `now` (that distance is
 *   the latency, so `outputLatency` itself is never read: OT6); Chromium's `contextTime` lies its
 *   output buffering (~40 ms) further behind than its `performanceTime`.
 * - OT3 (no usable pair: absent, or zeros): `currentTime − outputLatency − baseLatency` is heard now.
 * - A pair with only its `performanceTime` set (Firefox's first block, before `currentTime` passes
 *   the latency) is none yet: null, and `outputLatency` is not read for it (OT6).
 */
export function speakerTimestamp(reading: OutputClockReading): SpeakerTimestamp | null {
  const { timestamp, nowMs, currentTime } = reading;
  const contextTime = timestamp?.contextTime ?? 0;
  const performanceTime = timestamp?.performanceTime ?? 0;
  if (contextTime > 0 && performanceTime > 0) {
    const latency = currentTime - contextTime;
    const firefoxShaped = latency > 0 && Math.abs(nowMs - performanceTime - latency * 1000) <= FIREFOX_PERFORMANCE_TOLERANCE_MS;
    return firefoxShaped
      ? { contextTime, performanceTimeMs: performanceTime + latency * 1000, rule: "OT2" }
      : { contextTime, performanceTimeMs: performanceTime, rule: "OT1" };
  }
  if (performanceTime > 0) return null;
  const latency = reading.readOutputLatency() || 0;
  return { contextTime: currentTime - latency - (reading.baseLatency || 0), performanceTimeMs: nowMs, rule: "OT3" };
}
