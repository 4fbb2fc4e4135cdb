import { parseArgs } from "node:util";

/**
 * `single`: one sync process; `baseline`: the bare ws server; `cluster`: two sync processes on one
 * Redis; `workers`: SYNC_WORKERS=2 on one port over Redis; `redis-cluster`: two sync processes
 * over a 3-master Redis Cluster started for the run.
 */
export type ScenarioName = "single" | "baseline" | "cluster" | "workers" | "redis-cluster";
const ALL: ScenarioName[] = ["single", "baseline", "cluster", "workers", "redis-cluster"];

/**
 * One process may hold at most this many client sockets: the open-file limit here is 20,000
 * (hard, not raisable), and a server also needs descriptors for itself.
 */
export const MAX_SOCKETS_PER_PROCESS = 19_500;
/** Generators each hold fewer sockets than this (a generator process has the same limit). */
const SOCKETS_PER_GENERATOR = 10_000;
/** Clients per room unless `--rooms` says otherwise (the load pattern). */
const CLIENTS_PER_ROOM = 10;

export interface BenchOptions {
  /** Client counts to run every scenario at, in order (`--clients 5000,10000,15000`). */
  clientCounts: number[];
  /** The count being run now, and its rooms (set per size by run.ts). */
  clients: number;
  rooms: number;
  /** Fixed room count (`--rooms`), or null for one room per 10 clients. */
  fixedRooms: number | null;
  /** Length of the steady phase; the saturation phase runs half as long (at least 5 s). */
  steadySeconds: number;
  saturateSeconds: number;
  profileSeconds: number;
  scenarios: ScenarioName[];
  /** Generator processes, or null for one per 10,000 clients (at least 2). */
  generatorCount: number | null;
  generators: number;
  profile: boolean;
  /** Start the servers under test with `--trace-gc` and count their pauses per phase. */
  traceGc: boolean;
  /** Preload bench/load/stall-probe.ts into the servers: event-loop stalls, on-CPU vs run-queue wait. */
  traceStalls: boolean;
  /** Attach `perf trace -s` to the (first) server in each phase: system calls per frame (slows the server; not for ratios). */
  traceSyscalls: boolean;
  /** Pin the generators to CPU 0 and the servers under test (workers included) to CPU 1 (`taskset`). */
  pin: boolean;
  /** Before each scenario, wait up to this long for the machine to calm down (PSI). */
  quietWaitSeconds: number;
  redisUrl: string;
  outDir: string;
  notes: string[];
}

const USAGE = `npm run bench:load -- [--clients N[,N…]] [--rooms N] [--seconds N] [--large] [--quick]
  [--scenario ${ALL.join("|")}[,…]|all] [--generators N] [--no-profile] [--trace-gc] [--trace-stalls] [--trace-syscalls] [--pin] [--quiet-wait SECONDS] [--redis-url URL]`;

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new Error(`--${name} must be a positive integer\n${USAGE}`);
  return number;
}

/** Sets `clients`, `rooms` and `generators` for one of the client counts. */
export function forClients(options: BenchOptions, clients: number): BenchOptions {
  const rooms = options.fixedRooms ?? Math.max(1, Math.round(clients / CLIENTS_PER_ROOM));
  if (rooms > clients) throw new Error(`--rooms (${rooms}) exceeds --clients (${clients})`);
  const generators = options.generatorCount ?? Math.max(2, Math.ceil(clients / SOCKETS_PER_GENERATOR));
  return { ...options, clients, rooms, generators };
}

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      clients: { type: "string" },
      rooms: { type: "string" },
      seconds: { type: "string" },
      large: { type: "boolean", default: false },
      quick: { type: "boolean", default: false },
      scenario: { type: "string", default: "all" },
      generators: { type: "string" },
      "no-profile": { type: "boolean", default: false },
      "trace-gc": { type: "boolean", default: false },
      "trace-stalls": { type: "boolean", default: false },
      "trace-syscalls": { type: "boolean", default: false },
      pin: { type: "boolean", default: false },
      "quiet-wait": { type: "string" },
      "redis-url": { type: "string", default: "redis://127.0.0.1:6379" },
      out: { type: "string", default: "bench-results" },
    },
  });
  const notes: string[] = [];
  const fallbackClients = values.large ? MAX_SOCKETS_PER_PROCESS : values.quick ? 2_000 : 5_000;
  const clientCounts = (values.clients ?? String(fallbackClients)).split(",").map((count) => {
    const clients = positiveInt("clients", count.trim(), fallbackClients);
    if (clients <= MAX_SOCKETS_PER_PROCESS) return clients;
    notes.push(`--clients ${clients} capped to ${MAX_SOCKETS_PER_PROCESS}: one server process cannot hold more sockets here`);
    return MAX_SOCKETS_PER_PROCESS;
  });
  if (values.large) notes.push(`--large: ${MAX_SOCKETS_PER_PROCESS.toLocaleString("en")} clients, not 20,000: the open-file limit is 20,000 per process (hard)`);
  if (values.pin) notes.push("--pin: generators on CPU 0, servers under test on CPU 1 (Redis, when used, is not pinned)");
  if (values.quick) notes.push("--quick: short phases and no CPU profiles; a smoke run, not figures to quote");
  const steadySeconds = positiveInt("seconds", values.seconds, values.quick ? 6 : values.large ? 15 : 12);
  const scenarios = values.scenario === "all" ? ALL : values.scenario.split(",").map((name) => name.trim() as ScenarioName);
  for (const name of scenarios) if (!ALL.includes(name)) throw new Error(`unknown --scenario ${name}\n${USAGE}`);
  const options: BenchOptions = {
    clientCounts,
    clients: clientCounts[0]!,
    rooms: 0,
    fixedRooms: values.rooms === undefined ? null : positiveInt("rooms", values.rooms, 1),
    steadySeconds,
    saturateSeconds: Math.max(5, Math.round(steadySeconds / 2)),
    profileSeconds: 6,
    scenarios,
    generatorCount: values.generators === undefined ? null : positiveInt("generators", values.generators, 2),
    generators: 0,
    profile: !values["no-profile"] && !values.quick,
    traceGc: values["trace-gc"],
    traceStalls: values["trace-stalls"],
    traceSyscalls: values["trace-syscalls"],
    pin: values.pin,
    quietWaitSeconds: values["quiet-wait"] === undefined ? 0 : positiveInt("quiet-wait", values["quiet-wait"], 0),
    redisUrl: values["redis-url"],
    outDir: values.out,
    notes,
  };
  return forClients(options, options.clients);
}
