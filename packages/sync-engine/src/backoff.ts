/** Reconnect backoff tuning. */
export interface BackoffOptions {
  /** First retry's ceiling (ms). */
  readonly baseMs: number;
  /** Largest ceiling (ms). */
  readonly capMs: number;
}

/** ~250 ms first, doubling to 10 s. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, capMs: 10_000 };

/**
 * "Full jitter" exponential backoff: a uniform delay in [0, min(cap, base·2^attempt)). Spreading
 * retries over the whole interval keeps a room's clients from reconnecting in lockstep after a
 * server restart. `attempt` counts from 0.
 */
export function backoffDelayMs(attempt: number, random: () => number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return random() * ceiling;
}
