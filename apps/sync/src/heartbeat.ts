import type { Clock, Disposer } from "./clock.js";

/** What the heartbeat needs of a socket. */
export interface Pingable {
  ping(): void;
  terminate(): void;
}

/** How often the sweep runs: each run pings one slice of the connections. */
export const HEARTBEAT_TICK_MS = 100;
/** At most this many slices: a very long period (tests switch heartbeats off with one) ticks less often instead. */
const MAX_SLICES = 1_000;

/** One connection's place in the sweep; `sentAt` is the unanswered ping's instant, null once answered. */
export class Heartbeat {
  sentAt: number | null = null;

  constructor(
    readonly target: Pingable,
    readonly slice: Set<Heartbeat>,
  ) {}
}

/**
 * One timer for every connection's heartbeat [SC5] instead of one interval (and its closures) per
 * connection: connections are dealt round-robin into slices, and each tick (every
 * {@link HEARTBEAT_TICK_MS}) visits one slice, so each connection is visited once per period and a
 * connect burst's pings are spread over the period rather than repeated in a burst. At a visit an
 * answered connection is pinged again; one whose ping has gone unanswered for half a period or more
 * is terminated. (A younger unanswered ping is only the first one, sent on `add`: it gets until the
 * next visit.)
 */
export class HeartbeatSweep {
  private readonly slices: Set<Heartbeat>[];
  private dealt = 0;
  private visited = 0;
  private readonly stopTimer: Disposer;

  constructor(
    private readonly clock: Clock,
    private readonly periodMs: number,
  ) {
    const count = Math.min(MAX_SLICES, Math.max(1, Math.round(periodMs / HEARTBEAT_TICK_MS)));
    this.slices = Array.from({ length: count }, () => new Set<Heartbeat>());
    this.stopTimer = clock.setInterval(() => this.visit(), periodMs / count);
  }

  /** Starts beating `target`: its first ping goes out now, so a joiner's round trip is measured at once. */
  add(target: Pingable): Heartbeat {
    const slice = this.slices[this.dealt++ % this.slices.length]!;
    const heartbeat = new Heartbeat(target, slice);
    slice.add(heartbeat);
    this.ping(heartbeat);
    return heartbeat;
  }

  /** The round trip of the answered ping, or null for a pong nobody asked for. */
  pong(heartbeat: Heartbeat): number | null {
    if (heartbeat.sentAt === null) return null;
    const rttMs = this.clock.now() - heartbeat.sentAt;
    heartbeat.sentAt = null;
    return rttMs;
  }

  remove(heartbeat: Heartbeat): void {
    heartbeat.slice.delete(heartbeat);
  }

  dispose(): void {
    this.stopTimer();
  }

  private visit(): void {
    const slice = this.slices[this.visited++ % this.slices.length]!;
    const now = this.clock.now();
    for (const heartbeat of slice) {
      if (heartbeat.sentAt === null) this.ping(heartbeat);
      else if (now - heartbeat.sentAt >= this.periodMs / 2) {
        slice.delete(heartbeat);
        heartbeat.target.terminate();
      }
    }
  }

  private ping(heartbeat: Heartbeat): void {
    heartbeat.sentAt = this.clock.now();
    heartbeat.target.ping();
  }
}
