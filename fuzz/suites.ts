import type fc from "fast-check";
import { restCounters, startRestFuzz } from "@sync-beats/api/testing";
import { counters, LIMITS, sessionProperty, wsTransport } from "@sync-beats/sync/testing";

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
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
}

function restSuite(backend: "sqlite" | "postgres", seed: number): FuzzSuite {
  let fuzz: Awaited<ReturnType<typeof startRestFuzz>> | null = null;
  return {
    name: `api-${backend} (REST bodies, every route)`,
    seed,
    runsPerSeed: 100,
    targetInputs: backend === "sqlite" ? 2_000 : 1_000,
    skip: backend === "postgres" && !process.env.TEST_DATABASE_URL ? "TEST_DATABASE_URL is not set" : undefined,
    async setup() {
      restCounters.byStatus.clear();
      fuzz = await startRestFuzz(backend);
    },
    async teardown() {
      await fuzz?.close();
    },
    property: () => fuzz!.property(10) as fc.IAsyncProperty<unknown>,
    inputs: () => restCounters.requests,
    figures: () => [...restCounters.byStatus].sort().map(([status, n]) => `${status}×${n}`).join(" "),
  };
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
  restSuite("sqlite", 83_000),
  restSuite("postgres", 84_000),
];
