import { describe, expect, it } from "vitest";
import { FakeClock } from "../test/fake-clock.js";
import { HEARTBEAT_TICK_MS, HeartbeatSweep } from "./heartbeat.js";

const PERIOD_MS = 15_000;

class Target {
  pings: number[] = [];
  terminated = false;
  constructor(private readonly clock: FakeClock) {}
  ping(): void {
    this.pings.push(this.clock.now());
  }
  terminate(): void {
    this.terminated = true;
  }
}

function setUp() {
  const clock = new FakeClock();
  const sweep = new HeartbeatSweep(clock, PERIOD_MS);
  const target = () => new Target(clock);
  return { clock, sweep, target };
}

describe("HeartbeatSweep", () => {
  it("[SC5] pings on add, then once per period while every ping is answered", () => {
    const { clock, sweep, target } = setUp();
    const start = clock.now();
    const socket = target();
    const heartbeat = sweep.add(socket);
    expect(socket.pings).toEqual([start]);
    for (let round = 0; round < 4; round++) {
      clock.advance(5);
      sweep.pong(heartbeat);
      clock.advance(PERIOD_MS - 5);
    }
    // The first visit comes one tick after the add (its slice is the first), then one per period.
    const visits = socket.pings.slice(1).map((at) => at - start);
    expect(visits[0]).toBe(HEARTBEAT_TICK_MS);
    expect(visits.slice(1).map((at, index) => at - visits[index]!)).toEqual([PERIOD_MS, PERIOD_MS, PERIOD_MS]);
    expect(socket.terminated).toBe(false);
  });

  it("[SC5] measures each round trip from its own ping, and ignores a pong nobody asked for", () => {
    const { clock, sweep, target } = setUp();
    const heartbeat = sweep.add(target());
    clock.advance(42);
    expect(sweep.pong(heartbeat)).toBe(42);
    expect(sweep.pong(heartbeat)).toBeNull();
  });

  it("[SC5][SS33] terminates a socket whose ping went unanswered for a period, and no other", () => {
    const { clock, sweep, target } = setUp();
    const silent = target();
    const answering = target();
    sweep.add(silent);
    const heartbeat = sweep.add(answering);
    for (let elapsed = 0; elapsed < 2 * PERIOD_MS; elapsed += HEARTBEAT_TICK_MS) {
      clock.advance(HEARTBEAT_TICK_MS);
      sweep.pong(heartbeat);
    }
    expect(silent.terminated).toBe(true);
    expect(silent.pings).toHaveLength(1);
    expect(answering.terminated).toBe(false);
  });

  it("[SC5] a just-added socket is not terminated before its first ping could be answered", () => {
    const { clock, sweep, target } = setUp();
    const late = target();
    sweep.add(late);
    // Its slice's first visit is one tick later; the answer takes longer than that.
    clock.advance(HEARTBEAT_TICK_MS);
    expect(late.terminated).toBe(false);
    expect(late.pings).toHaveLength(1);
  });

  it("[SC5] a burst of connects is spread: each tick pings an equal share of them", () => {
    const { clock, sweep, target } = setUp();
    const sockets = Array.from({ length: 1_500 }, target);
    const heartbeats = sockets.map((socket) => sweep.add(socket));
    for (const heartbeat of heartbeats) sweep.pong(heartbeat);
    const perTick: number[] = [];
    for (let tick = 0; tick < PERIOD_MS / HEARTBEAT_TICK_MS; tick++) {
      const before = sockets.reduce((sum, socket) => sum + socket.pings.length, 0);
      clock.advance(HEARTBEAT_TICK_MS);
      perTick.push(sockets.reduce((sum, socket) => sum + socket.pings.length, 0) - before);
    }
    expect(new Set(perTick)).toEqual(new Set([1_500 / (PERIOD_MS / HEARTBEAT_TICK_MS)]));
  });

  it("[SC5] a removed socket is neither pinged nor terminated again", () => {
    const { clock, sweep, target } = setUp();
    const socket = target();
    sweep.remove(sweep.add(socket));
    clock.advance(3 * PERIOD_MS);
    expect(socket.pings).toHaveLength(1);
    expect(socket.terminated).toBe(false);
  });

  it("[SC5] a period far longer than any session (heartbeats off) still starts, and pings only on add", () => {
    const clock = new FakeClock();
    const sweep = new HeartbeatSweep(clock, 1e12);
    const socket = new Target(clock);
    sweep.add(socket);
    clock.advance(60 * 60_000);
    expect(socket.pings).toHaveLength(1);
    expect(socket.terminated).toBe(false);
    sweep.dispose();
  });

  it("[SC5] after dispose nothing is pinged", () => {
    const { clock, sweep, target } = setUp();
    const socket = target();
    const heartbeat = sweep.add(socket);
    sweep.pong(heartbeat);
    sweep.dispose();
    clock.advance(3 * PERIOD_MS);
    expect(socket.pings).toHaveLength(1);
  });
});
