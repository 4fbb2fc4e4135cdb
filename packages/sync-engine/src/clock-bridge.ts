import { AudioClockMap, contextAtLocal, localAtContext, singlePairFit, type AudioClockFit } from "./audio-clock-map.js";
import { localTimeAt, serverTimeAt, type ClockEstimate } from "./clock-estimator.js";
import type { AudioOutput, Clock, SyncAlgorithm } from "./types.js";

/**
 * Converts between server instants and audio-context time through the two fits:
 * server ⇄ local (clock estimate) ⇄ speaker context time (audio clock map), less the user's
 * output latency offset (a speaker `offsetMs` late must be fed that much earlier).
 */
export interface ClockBridge {
  /** Context time whose sample the speaker should play at server instant `serverMs`. */
  contextAt(serverMs: number): number;
  /** Server instant at which the speaker plays context time `contextTime`. */
  serverAt(contextTime: number): number;
  /** Track ms per context second that keeps the track on server time (feed-forward rate). */
  readonly baseRate: number;
}

/**
 * Builds the bridge for this instant, or null while either clock is unknown. `precise` uses the
 * fitted speaker map; `naive` pairs `currentTime` with the local clock once (what the seed did).
 */
export function makeClockBridge(
  algorithm: SyncAlgorithm,
  estimate: ClockEstimate | null,
  map: AudioClockMap,
  audio: AudioOutput,
  clock: Clock,
  offsetMs: number,
): ClockBridge | null {
  if (!estimate) return null;
  let fit: AudioClockFit | null;
  if (algorithm === "naive") {
    fit = singlePairFit({ contextTime: audio.currentTime(), localTimeMs: clock.now() });
  } else {
    // Before the first pairs are fitted, one fresh pair will do (a just-started context reports
    // contextTime 0, which is useless: wait for the next).
    fit = map.fit();
    const pair = fit ? null : audio.outputTimestamp();
    if (pair && pair.contextTime > 0) fit = singlePairFit(pair);
  }
  if (!fit) return null;
  const mapFit = fit;
  return {
    contextAt: (serverMs) => contextAtLocal(mapFit, localTimeAt(estimate, serverMs) - offsetMs),
    serverAt: (contextTime) => serverTimeAt(estimate, localAtContext(mapFit, contextTime) + offsetMs),
    baseRate: algorithm === "naive" ? 1 : (mapFit.msPerSecond * (1 + estimate.skew)) / 1000,
  };
}
