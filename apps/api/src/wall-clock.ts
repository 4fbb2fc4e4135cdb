/** Wall-clock time, injected so tests can pin "now" (ticket expiry, session expiry, timestamps). */
export interface WallClock {
  now(): number;
}

export const systemWallClock: WallClock = { now: () => Date.now() };
