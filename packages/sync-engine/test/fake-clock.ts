import type { Clock, Disposer } from "../src/types.js";

interface Timer {
  id: number;
  at: number;
  fn: () => void;
  every: number | null;
}

/** A manual clock: time moves only in {@link FakeClock.advance}; timers fire in time order. */
export class FakeClock implements Clock {
  private current: number;
  private timers: Timer[] = [];
  private nextId = 1;

  constructor(start = 1_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): Disposer {
    return this.add(fn, ms, null);
  }

  setInterval(fn: () => void, ms: number): Disposer {
    return this.add(fn, ms, Math.max(1, ms));
  }

  private add(fn: () => void, ms: number, every: number | null): Disposer {
    const timer = { id: this.nextId++, at: this.current + Math.max(0, ms), fn, every };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Pending timers (for leak checks). */
  pending(): number {
    return this.timers.length;
  }

  /**
   * Moves time forward by `ms`, firing due timers in order and letting promise callbacks run
   * after each one (credential fetches and track loads are async).
   */
  async advance(ms: number): Promise<void> {
    const end = this.current + ms;
    for (;;) {
      await flushMicrotasks();
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.current = Math.max(this.current, due.at);
      if (due.every === null) this.timers = this.timers.filter((t) => t !== due);
      else due.at += due.every;
      due.fn();
    }
    this.current = end;
    await flushMicrotasks();
  }
}

/** Lets queued promise callbacks run. */
export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
