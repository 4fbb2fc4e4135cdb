/**
 * The network scenarios and the theoretical limit of each. A client whose link is asymmetric by
 * `up - down` cannot tell that from a symmetric link with the same round trip: any two-way clock
 * sync is off by `(up - down) / 2` there, whatever it does. Symmetric links (jitter, spikes) have
 * no such floor: the minimum-delay samples converge to the truth.
 */
import type { ClientNetwork, LinkModel } from "./delay-proxy.js";

export interface Scenario {
  readonly name: string;
  readonly description: string;
  network(client: number): ClientNetwork;
  /** The error vs the server timeline no two-way sync can beat for this client (ms). */
  limitMs(client: number): number;
}

const link = (baseMs: number, jitterMs: number, spikes?: LinkModel["spikes"]): LinkModel => ({ baseMs, jitterMs, ...(spikes ? { spikes } : {}) });

function asymmetryLimit(network: ClientNetwork): number {
  const minUp = Math.max(0, network.up.baseMs - network.up.jitterMs);
  const minDown = Math.max(0, network.down.baseMs - network.down.jitterMs);
  return Math.abs(minUp - minDown) / 2;
}

function scenario(name: string, description: string, network: (client: number) => ClientNetwork): Scenario {
  return { name, description, network, limitMs: (client) => asymmetryLimit(network(client)) };
}

export const SCENARIOS: readonly Scenario[] = [
  scenario("lan", "loopback relay, no added delay (~0.1-0.3 ms one way)", () => ({ up: link(0, 0), down: link(0, 0) })),
  scenario("jitter", "50 +/- 20 ms each way, uniform, symmetric", () => ({ up: link(50, 20), down: link(50, 20) })),
  scenario("asymmetric", "even clients 20 ms up / 80 ms down (+/- 2), odd clients 50/50 (+/- 2): same RTT", (client) =>
    client % 2 === 0 ? { up: link(20, 2), down: link(80, 2) } : { up: link(50, 2), down: link(50, 2) },
  ),
  scenario("spikes", "30 +/- 5 ms each way; every 3 s a 400 ms hold down, 250 ms up, released as a burst", (client) => ({
    up: link(30, 5, { periodMs: 3000, holdMs: 250, phaseMs: 1500 + 370 * client }),
    down: link(30, 5, { periodMs: 3000, holdMs: 400, phaseMs: 200 + 370 * client }),
  })),
];

/** Wall-clock shifts (ms) of the pages: spread over +/- 2 s, never zero. */
export function clockShiftMs(client: number): number {
  const preset = [-1700, 2000, -400, 900, -2000, 1300];
  return preset[client] ?? (Math.round(((client * 0.6180339887) % 1) * 4000 - 2000) || 150);
}
