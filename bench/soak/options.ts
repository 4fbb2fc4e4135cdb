import { parseArgs } from "node:util";

export interface SoakOptions {
  clients: number;
  rooms: number;
  minutes: number;
  /** Seconds between two samples of the server's /metrics, /healthz and /proc. */
  sampleSeconds: number;
  /** Memory before this (minutes after the clients started playing) is left out of the growth fit. */
  warmupMinutes: number;
  /** Share of the clients that disconnect and come back each minute, in %. */
  churnPercentPerMinute: number;
  /** A room's host issues its next command after a random gap in this range. */
  commandGapSeconds: [number, number];
  /** Each member changes the shared queue (add, remove, move; the host "play now") after a random gap in this range. */
  queueGapSeconds: [number, number];
  chromium: string;
  outDir: string;
}

const USAGE = `npm run bench:soak -- [--clients 500] [--rooms 50] [--minutes 10] [--sample-s 5]
  [--warmup-min 2] [--churn 1] [--command-gap-s 10-20] [--queue-gap-s 8-16] [--chromium /usr/bin/chromium] [--out bench-results]`;

function number(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min) throw new Error(`--${name} must be a number ≥ ${min}\n${USAGE}`);
  return parsed;
}

function integer(name: string, value: string | undefined, fallback: number): number {
  const parsed = number(name, value, fallback, 1);
  if (!Number.isInteger(parsed)) throw new Error(`--${name} must be a whole number\n${USAGE}`);
  return parsed;
}

function range(name: string, value: string, min: number): [number, number] {
  const parts = value.split("-").map((part) => number(name, part, Number.NaN, min));
  const low = parts[0]!;
  const high = parts[1] ?? low;
  if (parts.length > 2 || !(low <= high)) throw new Error(`--${name} must be LOW-HIGH with LOW ≤ HIGH\n${USAGE}`);
  return [low, high];
}

export function parseOptions(argv: string[]): SoakOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      clients: { type: "string" },
      rooms: { type: "string" },
      minutes: { type: "string" },
      "sample-s": { type: "string" },
      "warmup-min": { type: "string" },
      churn: { type: "string" },
      "command-gap-s": { type: "string", default: "10-20" },
      "queue-gap-s": { type: "string", default: "8-16" },
      chromium: { type: "string", default: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
      out: { type: "string", default: "bench-results" },
    },
  });
  const clients = integer("clients", values.clients, 500);
  const rooms = integer("rooms", values.rooms, 50);
  if (rooms > clients) throw new Error(`--rooms (${rooms}) exceeds --clients (${clients})\n${USAGE}`);
  const minutes = number("minutes", values.minutes, 10, 0.1);
  // A fifth of the run, at most 2 minutes: connections settle, the JIT warms, heaps reach their size.
  const warmupMinutes = number("warmup-min", values["warmup-min"], Math.min(2, minutes / 5), 0);
  if (warmupMinutes >= minutes) throw new Error(`--warmup-min must be shorter than --minutes\n${USAGE}`);
  return {
    clients,
    rooms,
    minutes,
    sampleSeconds: number("sample-s", values["sample-s"], 5, 1),
    warmupMinutes,
    churnPercentPerMinute: number("churn", values.churn, 1, 0),
    commandGapSeconds: range("command-gap-s", values["command-gap-s"], 1),
    queueGapSeconds: range("queue-gap-s", values["queue-gap-s"], 1),
    chromium: values.chromium,
    outDir: values.out,
  };
}
