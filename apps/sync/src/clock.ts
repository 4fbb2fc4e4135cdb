/** Cancels a pending timer. */
export type Disposer = () => void;

/**
 * The server's notion of time, injected everywhere so tests drive it by hand. `now()` is
 * milliseconds since the Unix epoch with sub-millisecond resolution and never goes backwards.
 */
export interface Clock {
  now(): number;
  /**
   * The wall clock, for comparing with instants other machines stamped with theirs (ticket
   * expiry). Not for the timeline: a VM's wall clock may step by seconds.
   */
  wallNow(): number;
  setTimeout(callback: () => void, delayMs: number): Disposer;
  setInterval(callback: () => void, periodMs: number): Disposer;
}

/**
 * Epoch-based but monotonic: `performance.timeOrigin + performance.now()` does not jump when NTP
 * steps the wall clock, and resolves far below a millisecond.
 */
export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  wallNow: () => Date.now(),
  setTimeout(callback, delayMs) {
    const handle = setTimeout(callback, delayMs);
    return () => clearTimeout(handle);
  },
  setInterval(callback, periodMs) {
    const handle = setInterval(callback, periodMs);
    return () => clearInterval(handle);
  },
};
