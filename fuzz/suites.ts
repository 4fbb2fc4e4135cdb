import type fc from "fast-check";
import { counters, LIMITS, sessionProperty } from "../apps/sync/test/hardening/fuzz-session.js";
import { wsTransport } from "../apps/sync/test/hardening/ws-transport.js";

/** One fuzz property, run with consecutive seeds from `seed` until `targetInputs` inputs went in. */
export interface FuzzSuite {
  name: string;
  seed: number;
  runsPerSeed: number;
  targetInputs: number;
  property(): fc.IAsyncPropertyWithHooks<unknown> | fc.IAsyncProperty<unknown>;
  /** Inputs generated so far in this process (frames, request bodies). */
  inputs(): number;
  figures(): string;
  /** Why the suite cannot run here (e.g. no database), or undefined. */
  skip?: string;
}

function codes(map: Map<string, number>): string {
  return [...map].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code}=${n}`).join(" ");
}

export const suites: FuzzSuite[] = [
  {
    name: "sync (in-memory, model)",
    seed: 81_000,
    runsPerSeed: 500,
    targetInputs: 100_000,
    property: () => sessionProperty(40) as fc.IAsyncProperty<unknown>,
    inputs: () => counters.frames,
    figures: () => `broadcasts=${counters.broadcasts} ${codes(counters.byCode)}`,
  },
  {
    name: "sync-ws (real sockets, model)",
    seed: 82_000,
    runsPerSeed: 100,
    targetInputs: 8_000,
    property: () => sessionProperty(30, () => wsTransport(LIMITS)) as fc.IAsyncProperty<unknown>,
    inputs: () => counters.frames,
    figures: () => "",
  },
];
