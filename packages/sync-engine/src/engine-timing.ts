/** Engine timing (ms). */
export const ENGINE_TIMING = {
  /**
   * Ping periods by time since joining: a burst (in sync within a second), then fast for the
   * first minute (the delay floors the offset rests on tighten with every sample: with ±20 ms of
   * jitter per leg, about 40/n ms), then every 3 s. Each entry holds until `untilMs`.
   */
  pingSchedule: [
    { untilMs: 1_000, periodMs: 100 },
    { untilMs: 20_000, periodMs: 200 },
    { untilMs: 60_000, periodMs: 1_000 },
    { untilMs: Infinity, periodMs: 3_000 },
  ],
  syncCheckPeriodMs: 2_000,
  controlPeriodMs: 250,
  /** Speaker timestamp pairs for the audio clock fit (cheap; more pairs, tighter fit). */
  audioSamplePeriodMs: 10,
} as const;

/** How long to wait for the next ping, `elapsedMs` after joining ({@link ENGINE_TIMING}`.pingSchedule`). */
export function pingPeriodMs(elapsedMs: number): number {
  const phase = ENGINE_TIMING.pingSchedule.find((p) => elapsedMs < p.untilMs - 1e-6);
  return phase?.periodMs ?? 3_000;
}
