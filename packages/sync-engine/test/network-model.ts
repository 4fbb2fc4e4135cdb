import type { ClockSample } from "../src/clock-estimator.js";

/** A synthetic server clock: `server = offsetMs + local · (1 + skew)`. */
export interface TrueClock {
  readonly offsetMs: number;
  readonly skew: number;
}

/** The true server instant at local instant `localMs`. */
export function trueServerTime(clock: TrueClock, localMs: number): number {
  return clock.offsetMs + localMs * (1 + clock.skew);
}

/** One-way delays (ms) for an exchange: `up` client→server, `down` server→client. */
export type DelayModel = () => { up: number; down: number };

/**
 * Simulates one ping sent at local `t0` through `delays`, with a server turnaround of `turnMs`.
 * Delays are taken on the local time base (skew on a 100 ms leg is nanoseconds).
 */
export function exchange(clock: TrueClock, t0: number, delays: DelayModel, turnMs = 0.05): ClockSample {
  const { up, down } = delays();
  const t1 = trueServerTime(clock, t0 + up);
  const t3 = t0 + up + turnMs + down;
  return { t0, t1, t2: t1 + turnMs * (1 + clock.skew), t3 };
}

/** Local send instants: a burst of `burst` pings `burstGapMs` apart, then one every `periodMs`. */
export function pingSchedule(count: number, start = 1000, burst = 10, burstGapMs = 100, periodMs = 3000): number[] {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    times.push(i < burst ? start + i * burstGapMs : start + (burst - 1) * burstGapMs + (i - burst + 1) * periodMs);
  }
  return times;
}
