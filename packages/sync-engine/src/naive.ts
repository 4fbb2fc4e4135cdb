/** The seed algorithm's whole view of time after one ping (what `algorithm: "naive"` reproduces). */
export interface NaiveSchedule {
  /** rtt = t3 − t0 (server turnaround included). */
  readonly rttMs: number;
  /** latency = rtt / 2. */
  readonly latencyMs: number;
  /** offset = serverTime − (t0 + rtt/2): server minus local. */
  readonly offsetMs: number;
  /** How long to wait, from `t3`, before starting playback at server instant `startServerMs`. */
  readonly delayMs: number;
}

/** The naive seed's drift threshold: only errors beyond this are corrected (by a jump). */
export const NAIVE_RESYNC_THRESHOLD_MS = 500;

/**
 * The seed architecture's clock maths, from one ping: `t0` local send, `serverTime` the server's
 * clock in the pong, `t3` local receive. Assumes both legs take rtt/2 and the clocks run at one
 * rate; no filtering, no drift control. Kept as the benchmark's baseline.
 */
export function naiveSeedSchedule(t0: number, serverTime: number, t3: number, startServerMs: number): NaiveSchedule {
  const rttMs = t3 - t0;
  const offsetMs = serverTime - (t0 + rttMs / 2);
  return { rttMs, latencyMs: rttMs / 2, offsetMs, delayMs: startServerMs - (t3 + offsetMs) };
}
