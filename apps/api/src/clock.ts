/** Wall-clock time, injected so tests can pin "now" (ticket expiry, session expiry, timestamps). */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
