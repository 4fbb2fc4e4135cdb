import type { Clock, Disposer } from "./clock.js";

/**
 * The host's absence timer on one node: `graceMs` after it starts without being stopped (the host
 * came back), `promote` runs once and the room picks a successor [RA4][SS13].
 */
export class HostGrace {
  private running: Disposer | null = null;
  private disposed = false;

  constructor(
    private readonly clock: Clock,
    private readonly graceMs: number,
    private readonly promote: () => void,
  ) {}

  /** (Re)starts the timer from now. */
  start(): void {
    this.stop();
    if (this.disposed) return;
    this.running = this.clock.setTimeout(() => {
      this.running = null;
      this.promote();
    }, this.graceMs);
  }

  /** Starts the timer unless it already runs (joins must not keep postponing it). */
  startUnlessRunning(): void {
    if (this.running === null) this.start();
  }

  stop(): void {
    this.running?.();
    this.running = null;
  }

  dispose(): void {
    this.stop();
    this.disposed = true;
  }
}
