import { MAX_DECLARED_TIMING_MS, type ClientMessageOf } from "@sync-beats/protocol";
import type { AudioOutput } from "./types.js";

/** What the engine declares on join (LS1 in the protocol SPEC). */
export type JoinTiming = NonNullable<ClientMessageOf<"join">["timing"]>;

/**
 * The engine's scheduling margin (ms): a command is scheduled on receipt, at least
 * `START_LEAD_S` (50 ms) ahead of `currentTime`, plus an allowance for a busy main thread
 * (a frame or two of layout, a decode callback) between the frame's arrival and the schedule.
 */
export const SCHEDULING_MARGIN_MS = 50 + 30;
/** Assumed output latency while the audio device cannot say (locked, no timestamps yet). */
export const DEFAULT_OUTPUT_LATENCY_MS = 50;

const bounded = (ms: number) => Math.min(MAX_DECLARED_TIMING_MS, Math.max(0, Math.ceil(ms)));

/**
 * The declaration for this device: the output latency is how far behind `currentTime` the speaker
 * plays, read from one speaker timestamp pair (`contextTime` is what is heard at `localTimeMs`):
 * (currentTime − contextTime) − (now − localTimeMs). Coarse (a few ms of render cadence), which
 * is fine for a margin; the default when no device or pair is available (the engine creates its
 * context lazily, and declaring must not create one).
 */
export function declaredJoinTiming(audio: AudioOutput | null, nowMs: number): JoinTiming {
  const pair = audio?.getState() === "running" ? audio.outputTimestamp() : null;
  const latency = audio && pair && pair.contextTime > 0 ? (audio.currentTime() - pair.contextTime) * 1000 - (nowMs - pair.localTimeMs) : DEFAULT_OUTPUT_LATENCY_MS;
  return { schedulingMarginMs: bounded(SCHEDULING_MARGIN_MS), outputLatencyMs: bounded(Number.isFinite(latency) ? latency : DEFAULT_OUTPUT_LATENCY_MS) };
}
