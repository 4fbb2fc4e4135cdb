import { parseArgs } from "node:util";

export type ScenarioName = "single" | "baseline" | "cluster";

/**
 * One process may hold at most this many client sockets: the open-file limit here is 20,000
 * (hard, not raisable), and a server also needs descriptors for itself.
 */
export const MAX_SOCKETS_PER_PROCESS = 19_500;
/** Generators each hold fewer sockets than this (a generator process has the same limit). */
const SOCKETS_PER_GENERATOR = 10_000;

export interface BenchOptions {
  clients: number;
  rooms: number;
  /** Length of the steady phase; the saturation phase runs half as long (at least 5 s). */
  steadySeconds: number;
  saturateSeconds: number;
  profileSeconds: number;
  scenarios: ScenarioName[];
  generators: number;
  profile: boolean;
  /** Before each scenario, wait up to this long for the machine to calm down (PSI). */
  quietWaitSeconds: number;
  redisUrl: string;
  outDir: string;
  notes: string[];
}

const USAGE = `npm run bench:load -- [--clients N] [--rooms N] [--seconds N] [--large]
  [--scenario single|baseline|cluster|all] [--generators N] [--no-profile] [--quiet-wait SECONDS] [--redis-url URL]`;

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new Error(`--${name} must be a positive integer\n${USAGE}`);
  return number;
}

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      clients: { type: "string" },
      rooms: { type: "string" },
      seconds: { type: "string" },
      large: { type: "boolean", default: false },
      scenario: { type: "string", default: "all" },
      generators: { type: "string" },
      "no-profile": { type: "boolean", default: false },
      "quiet-wait": { type: "string" },
      "redis-url": { type: "string", default: "redis://127.0.0.1:6379" },
      out: { type: "string", default: "bench-results" },
    },
  });
  const notes: string[] = [];
  let clients = positiveInt("clients", values.clients, values.large ? MAX_SOCKETS_PER_PROCESS : 5_000);
  const rooms = positiveInt("rooms", values.rooms, values.large ? 1_950 : 500);
  if (values.large) notes.push(`--large: ${clients.toLocaleString("en")} clients, not 20,000: the open-file limit is 20,000 per process (hard)`);
  if (clients > MAX_SOCKETS_PER_PROCESS) {
    notes.push(`--clients ${clients} capped to ${MAX_SOCKETS_PER_PROCESS}: one server process cannot hold more sockets here`);
    clients = MAX_SOCKETS_PER_PROCESS;
  }
  if (rooms > clients) throw new Error(`--rooms (${rooms}) exceeds --clients (${clients})`);
  const steadySeconds = positiveInt("seconds", values.seconds, values.large ? 15 : 12);
  const scenario = values.scenario;
  const all: ScenarioName[] = ["single", "baseline", "cluster"];
  if (scenario !== "all" && !all.includes(scenario as ScenarioName)) throw new Error(`unknown --scenario ${scenario}\n${USAGE}`);
  const generators = positiveInt("generators", values.generators, Math.max(2, Math.ceil(clients / SOCKETS_PER_GENERATOR)));
  return {
    clients,
    rooms,
    steadySeconds,
    saturateSeconds: Math.max(5, Math.round(steadySeconds / 2)),
    profileSeconds: 6,
    scenarios: scenario === "all" ? all : [scenario as ScenarioName],
    generators,
    profile: !values["no-profile"],
    quietWaitSeconds: values["quiet-wait"] === undefined ? 0 : positiveInt("quiet-wait", values["quiet-wait"], 0),
    redisUrl: values["redis-url"],
    outDir: values.out,
    notes,
  };
}
