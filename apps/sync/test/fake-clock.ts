import type { ServerClock, Disposer } from "../src/clock.js";

interface Timer {
  at: number;
  periodMs: number | null;
  callback: () => void;
}

/** A clock that only moves when the test says so; timers fire in time order during `advance`. */
export class FakeClock implements ServerClock {
  private readonly timers = new Set<Timer>();

  constructor(private current = 1_700_000_000_000) {}

  now(): number {
    return this.current;
  }

  wallNow(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): Disposer {
    const timer: Timer = { at: this.current + delayMs, periodMs: null, callback };
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  }

  setInterval(callback: () => void, periodMs: number): Disposer {
    const timer: Timer = { at: this.current + periodMs, periodMs, callback };
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  }

  advance(ms: number): void {
    const until = this.current + ms;
    for (;;) {
      let next: Timer | undefined;
      for (const timer of this.timers) if (timer.at <= until && (!next || timer.at < next.at)) next = timer;
      if (!next) break;
      this.current = next.at;
      if (next.periodMs === null) this.timers.delete(next);
      else next.at += next.periodMs;
      next.callback();
    }
    this.current = until;
  }
}
