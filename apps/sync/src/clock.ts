import type { Clock } from "@sync-beats/clock";

export type { Clock, Disposer } from "@sync-beats/clock";

/**
 * The server's notion of time: the shared monotonic {@link Clock}, whose `now()` here is
 * milliseconds since the Unix epoch with sub-millisecond resolution, plus the wall clock. One
 * object, since the wall clock is read in one place only (ticket expiry, in Connection).
 */
export interface ServerClock extends Clock {
  /**
   * The wall clock, for comparing with instants other machines stamped with theirs (ticket
   * expiry). Not for the timeline: a VM's wall clock may step by seconds.
   */
  wallNow(): number;
}

/**
 * The process's start on the epoch, read once: `performance.timeOrigin` is a getter that calls
 * into the runtime each time, and `now()` runs a few times per frame.
 */
const TIME_ORIGIN_MS = performance.timeOrigin;

/**
 * Epoch-based but monotonic: `performance.timeOrigin + performance.now()` does not jump when NTP
 * steps the wall clock, and resolves far below a millisecond.
 */
export const systemClock: ServerClock = {
  now: () => TIME_ORIGIN_MS + performance.now(),
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
