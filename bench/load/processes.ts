/**
 * Child processes of the benchmark (servers under test, generators, maybe Redis) and what Linux
 * says about them. Every child is registered so that run.ts can end them all on exit or SIGINT.
 */
import { type ChildProcess, execFileSync, fork, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { get } from "node:http";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Redis } from "ioredis";
import { type GcPause, parseGcPauses } from "./gc-trace.js";
import { parseStalls, type Stall } from "./stall-trace.js";

export const REPO_ROOT = resolve(import.meta.dirname, "../..");
const TSX = ["--import", "tsx"];
const STALL_PROBE = pathToFileURL(resolve(import.meta.dirname, "stall-probe.ts")).href;
/** A starved machine takes long to load tsx in every worker. */
const READY_TIMEOUT_MS = 120_000;

const children = new Set<ChildProcess>();

function track<T extends ChildProcess>(child: T): T {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** Ends every child still running (synchronous: safe inside an `exit` handler). */
export function killChildren(): void {
  for (const child of children) child.kill("SIGKILL");
  children.clear();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** A port nobody listens on right now (the kernel's pick; released before the server takes it). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export function httpText(url: string, timeoutMs = 5_000): Promise<string> {
  return new Promise((done, fail) => {
    const request = get(url, { timeout: timeoutMs }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => (response.statusCode === 200 ? done(body) : fail(new Error(`${url}: HTTP ${response.statusCode}`))));
    });
    request.on("timeout", () => request.destroy(new Error(`${url}: timeout`)));
    request.on("error", fail);
  });
}

/** A running server under test: its pid, WebSocket URL, and recent output for diagnostics. */
export interface ServerProcess {
  readonly pid: number;
  readonly url: string;
  readonly httpUrl: string;
  readonly inspectPort: number | null;
  output(): string;
  /** GC pauses it printed between two instants (`--trace-gc` runs only). */
  gcPauses(from: number, to: number): GcPause[];
  /** Event-loop stalls that ended between two monotonic instants in µs (`--trace-stalls` runs only). */
  stalls(fromUs: number, toUs: number): Stall[];
  /** Its memory and CPU time; a workers primary's include its workers'. */
  sample(): ProcSample;
  alive(): boolean;
  stop(): Promise<void>;
}

function serverProcess(child: ChildProcess, port: number, inspectPort: number | null, withWorkers = false): ServerProcess {
  let output = "";
  const pauses: GcPause[] = [];
  const stalls: Stall[] = [];
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    if (text.includes(" ms: ")) pauses.push(...parseGcPauses(text, performance.now()));
    if (text.includes("[stall] ")) stalls.push(...parseStalls(text));
    output = (output + text.replace(/^\[stall\] .*\n/gm, "")).slice(-4_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return {
    pid: child.pid!,
    url: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    inspectPort,
    output: () => output,
    sample: () => (withWorkers ? sampleTree(child.pid!) : sampleProc(child.pid!)),
    gcPauses: (from, to) => pauses.filter((pause) => pause.at >= from && pause.at <= to),
    stalls: (fromUs, toUs) => stalls.filter((stall) => stall.endUs >= fromUs && stall.endUs <= toUs),
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((done) => child.once("exit", done));
      child.kill("SIGTERM");
      if ((await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)])) === false) child.kill("SIGKILL");
    },
  };
}

async function waitUntil(what: string, child: ChildProcess, ready: () => Promise<boolean>, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}:\n${output()}`);
    if (await ready().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} not ready after ${READY_TIMEOUT_MS} ms:\n${output()}`);
}

/** How a server under test is watched: inspector (CPU profiles), GC trace, stall probe. */
export interface TraceOptions {
  inspect: boolean;
  traceGc: boolean;
  /** Off unless asked for (bench:soak starts servers through here too). */
  traceStalls?: boolean;
}

function traceArgs(options: TraceOptions, inspectPort: number | null): string[] {
  return [
    ...(inspectPort ? [`--inspect=127.0.0.1:${inspectPort}`] : []),
    ...(options.traceGc ? ["--trace-gc"] : []),
    ...TSX,
    ...(options.traceStalls ? ["--import", STALL_PROBE] : []),
  ];
}

/**
 * The real sync server (`apps/sync/src/main.ts`) as its own process, run by `node --import tsx`
 * so that the pid is the server's (not an npx or tsx wrapper's). Dev identity, warn-level logs;
 * `env` adds e.g. REDIS_URL, REDIS_CLUSTER_URLS or SYNC_WORKERS.
 */
export async function startSyncProcess(options: { env: Record<string, string> } & TraceOptions): Promise<ServerProcess> {
  const port = await freePort();
  const inspectPort = options.inspect ? await freePort() : null;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: "127.0.0.1", SYNC_DEV_IDENTITY: "1", LOG_LEVEL: "warn", NODE_ENV: "development" };
  delete env.REDIS_URL;
  delete env.REDIS_CLUSTER_URLS;
  delete env.SYNC_WORKERS;
  Object.assign(env, options.env);
  const nodeArgs = traceArgs(options, inspectPort);
  const child = track(spawn(process.execPath, [...nodeArgs, "apps/sync/src/main.ts"], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] }));
  const server = serverProcess(child, port, inspectPort, Boolean(options.env.SYNC_WORKERS));
  await waitUntil("sync server", child, async () => (await httpText(`${server.httpUrl}/healthz`, 1_000)).includes('"ok"'), server.output);
  return server;
}

/** The bare `ws` broadcast server of the baseline. */
export async function startBareProcess(options: TraceOptions): Promise<ServerProcess> {
  const port = await freePort();
  const inspectPort = options.inspect ? await freePort() : null;
  const env = { ...process.env, PORT: String(port) };
  const nodeArgs = traceArgs(options, inspectPort);
  const child = track(spawn(process.execPath, [...nodeArgs, "bench/load/bare-ws-server.ts"], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] }));
  const server = serverProcess(child, port, inspectPort);
  await waitUntil("bare ws server", child, async () => server.output().includes("listening"), server.output);
  return server;
}

/** A load generator child (IPC channel for its commands and reports). */
export function forkGenerator(): ChildProcess {
  return track(fork(resolve(import.meta.dirname, "generator.ts"), [], { cwd: REPO_ROOT, execArgv: TSX, stdio: ["ignore", "inherit", "inherit", "ipc"] }));
}

/** Resident memory and CPU time (user + system) of a process, from /proc. */
export interface ProcSample {
  rssKb: number;
  cpuSeconds: number;
  /** Of `cpuSeconds`, the time in the kernel (system calls, the loopback's TCP work). */
  systemSeconds: number;
  at: number;
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Direct children of a process (a `SYNC_WORKERS` primary's workers), from /proc. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * Confines a process, every thread it has and its direct children (a workers primary's workers)
 * to the CPUs in `cpuList` (taskset syntax, e.g. "1"). Threads started later inherit it.
 */
export function pinTo(pid: number, cpuList: string): void {
  for (const target of [pid, ...childrenOf(pid)]) execFileSync("taskset", ["-a", "-p", "-c", cpuList, String(target)], { stdio: "ignore" });
}

/** A process and its direct children together: a workers primary counts what its workers use. */
function sampleTree(pid: number): ProcSample {
  // A child may exit between the listing and the reading; only the server itself must be there.
  const samples = [sampleProc(pid), ...childrenOf(pid).flatMap((child) => {
    try {
      return [sampleProc(child)];
    } catch {
      return [];
    }
  })];
  const total = (pick: (sample: ProcSample) => number) => samples.reduce((sum, sample) => sum + pick(sample), 0);
  return { rssKb: total((sample) => sample.rssKb), cpuSeconds: total((sample) => sample.cpuSeconds), systemSeconds: total((sample) => sample.systemSeconds), at: performance.now() };
}

export function sampleProc(pid: number): ProcSample {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces): utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const systemTicks = Number(fields[12]);
  return { rssKb, cpuSeconds: (Number(fields[11]) + systemTicks) / CLOCK_TICKS, systemSeconds: systemTicks / CLOCK_TICKS, at: performance.now() };
}

/**
 * Microseconds, since boot, during which some runnable task waited for a CPU (Linux PSI); null
 * where the kernel does not expose it. Over a phase this says how contended the machine was.
 */
export function cpuPressureMicros(): number | null {
  try {
    const match = /^some .*total=(\d+)$/m.exec(readFileSync("/proc/pressure/cpu", "utf8"));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Share of the last 10 s during which some task waited for a CPU, in % (Linux PSI). */
export function cpuPressureAvg10(): number | null {
  try {
    const match = /^some avg10=([\d.]+)/m.exec(readFileSync("/proc/pressure/cpu", "utf8"));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** CPU used between two samples, in % of one core. */
export function cpuPercent(before: ProcSample, after: ProcSample): number {
  return (100 * (after.cpuSeconds - before.cpuSeconds)) / ((after.at - before.at) / 1000);
}

async function pings(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    return (await redis.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** The given Redis when it answers; otherwise a throwaway `redis-server` on a spare port. */
export async function ensureRedis(url: string): Promise<{ url: string; started: boolean }> {
  if (await pings(url)) return { url, started: false };
  const port = await freePort();
  const child = track(spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" }));
  const ownUrl = `redis://127.0.0.1:${port}`;
  await waitUntil("redis-server", child, () => pings(ownUrl), () => "");
  return { url: ownUrl, started: true };
}

/** Deletes the keys the benchmark's rooms left in Redis (room codes all start with `prefix`). */
export async function deleteRoomKeys(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    let cursor = "0";
    for (let round = 0; round < 10_000; round++) {
      const [next, keys] = await redis.scan(cursor, "MATCH", `sb:room:{${prefix}*`, "COUNT", 1_000);
      if (keys.length > 0) deleted += await redis.del(...keys);
      cursor = next;
      if (cursor === "0") break;
    }
  } finally {
    redis.disconnect();
  }
  return deleted;
}
