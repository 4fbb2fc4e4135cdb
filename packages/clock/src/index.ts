/**
 * The injected time source of the sync server and the browser sync engine (STYLE.md: "Inject a
 * `Clock`"), defined once so both mean the same thing by it. Types only.
 */

/** Cancels a timer or unsubscribes a listener. Calling it twice is harmless. */
export type Disposer = () => void;

/**
 * A monotonic clock with timers. `now()` never goes backwards; its epoch is the implementation's
 * (the engine's browser default is `performance.now()`, the server's is Unix-epoch based). Tests
 * inject a fake and drive it by hand.
 */
export interface Clock {
  /** Monotonic time in milliseconds (fractional). */
  now(): number;
  /**
   * The step `now()` reads in (ms), when coarse: browsers coarsen `performance.now()` against
   * timing attacks (Firefox 1 ms, Chromium 0.1 ms; 0.02 and 0.005 ms cross-origin isolated), and
   * the engine's clock filter widens its bounds by it. Absent or 0: continuous.
   */
  readonly resolutionMs?: number;
  /** Runs `fn` once after `ms`; the disposer cancels it. */
  setTimeout(fn: () => void, ms: number): Disposer;
  /** Runs `fn` every `ms`; the disposer cancels it. */
  setInterval(fn: () => void, ms: number): Disposer;
}
