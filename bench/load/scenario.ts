/**
 * One scenario: start the server(s), fork the generators, drive them through the phases
 * (connect → idle → steady → saturate → profiled repeat) and turn their reports and /proc
 * samples into figures.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Histogram } from "./histogram.js";
import type { GeneratorConfig, GeneratorMessage, ParentMessage, Phase, PhaseStats, RoomPlan } from "./ipc.js";
import type { BenchOptions, ScenarioName } from "./options.js";
import {
  cpuPercent,
  cpuPressureMicros,
  deleteRoomKeys,
  forkGenerator,
  httpText,
  pinTo,
  type ServerProcess,
  sampleProc,
  sleep,
  startBareProcess,
  startSyncProcess,
} from "./processes.js";
import { summariseGc } from "./gc-trace.js";
import { summariseStalls } from "./stall-trace.js";
import { startProfiler, summarise } from "./profile.js";
import { measureScrapeCost, type ScrapeCost } from "./scrape-probe.js";
import { startSyscallTrace } from "./syscall-trace.js";
import { summariseWire } from "./wire.js";
import type { PhaseResult, ScenarioResult } from "./scenario-result.js";

export const loadAverage = () => loadavg().map((value) => value.toFixed(2)).join(", ");

/** The connect phase may take this long per client (a starved machine connects slowly). */
const CONNECT_MS_PER_CLIENT = 20;
const STEP_TIMEOUT_MS = 45_000;
/** `--pin`: the servers under test get CPU 1 to themselves, the generators CPU 0. */
const SERVER_CPUS = "1";
const GENERATOR_CPUS = "0";

/** A generator child with a mailbox: `next(type)` waits for its next message of that type. */
class Generator {
  private readonly inbox: GeneratorMessage[] = [];
  private readonly waiters: { type: string; done(message: GeneratorMessage): void }[] = [];

  constructor(readonly child: ChildProcess) {
    child.on("message", (message: GeneratorMessage) => {
      const index = this.waiters.findIndex((waiter) => waiter.type === message.type);
      if (index >= 0) this.waiters.splice(index, 1)[0]!.done(message);
      else this.inbox.push(message);
    });
  }

  send(message: ParentMessage): void {
    this.child.send(message);
  }

  next<T extends GeneratorMessage["type"]>(type: T, timeoutMs = STEP_TIMEOUT_MS): Promise<Extract<GeneratorMessage, { type: T }>> {
    type Wanted = Extract<GeneratorMessage, { type: T }>;
    const index = this.inbox.findIndex((message) => message.type === type);
    if (index >= 0) return Promise.resolve(this.inbox.splice(index, 1)[0] as Wanted);
    return new Promise((done, fail) => {
      const waiter = { type, done: (message: GeneratorMessage) => (clearTimeout(timer), done(message as Wanted)) };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        fail(new Error(`generator ${this.child.pid}: no "${type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }
}

async function everyGenerator<T extends GeneratorMessage["type"]>(
  generators: Generator[],
  message: ParentMessage,
  reply: T,
  timeoutMs?: number,
): Promise<Extract<GeneratorMessage, { type: T }>[]> {
  for (const generator of generators) generator.send(message);
  return Promise.all(generators.map((generator) => generator.next(reply, timeoutMs)));
}

/** Splits C clients over R rooms; in a cluster, a room's clients alternate between the nodes. */
function planRooms(options: BenchOptions, nodes: number, prefix: string): RoomPlan[] {
  return Array.from({ length: options.rooms }, (_, room) => {
    const clients = Math.floor(options.clients / options.rooms) + (room < options.clients % options.rooms ? 1 : 0);
    return {
      code: `${prefix}${room.toString(36).toUpperCase().padStart(4, "0")}`,
      clients,
      nodes: Array.from({ length: clients }, (_, index) => (room + index) % nodes),
    };
  });
}

function metric(text: string, name: string): number {
  const match = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
  return match ? Number(match[1]) : Number.NaN;
}

/** Reads (and so resets) the sync servers' event-loop delay histograms. */
async function eventLoopLag(servers: ServerProcess[], sync: boolean): Promise<PhaseResult["eventLoopLag"]> {
  if (!sync) return null;
  // A starved server may answer late; a lost reading must not lose the whole scenario.
  const texts = await Promise.all(servers.map((server) => httpText(`${server.httpUrl}/metrics`, 20_000).catch(() => "")));
  // monitorEventLoopDelay records whole timer periods: an idle loop reads 10 ms (prom-client's
  // default resolution), so the period is taken off to leave the lag itself.
  const ms = (value: number) => Math.max(0, Math.round((value - 0.01) * 1e5) / 100);
  return texts.map((text) => ({
    p99Ms: ms(metric(text, "sync_nodejs_eventloop_lag_p99_seconds")),
    maxMs: ms(metric(text, "sync_nodejs_eventloop_lag_max_seconds")),
    meanMs: ms(metric(text, "sync_nodejs_eventloop_lag_mean_seconds")),
  }));
}

function merge(reports: PhaseStats[], measure: (stats: PhaseStats) => PhaseStats["sameNode"][]): Histogram {
  const histogram = new Histogram();
  for (const report of reports) for (const part of measure(report)) histogram.merge(part);
  return histogram;
}

interface Context {
  servers: ServerProcess[];
  generators: Generator[];
  sync: boolean;
  traceGc: boolean;
  traceStalls: boolean;
  traceSyscalls: boolean;
}

async function runPhase(context: Context, phase: Exclude<Phase, "quiet">, seconds: number, drainMs: number): Promise<PhaseResult> {
  const { servers, generators } = context;
  await eventLoopLag(servers, context.sync);
  const serverBefore = servers.map((server) => server.sample());
  const pressureBefore = cpuPressureMicros();
  const generatorBefore = generators.map((generator) => sampleProc(generator.child.pid!));
  const phaseStartedAt = performance.now();
  const phaseStartedUs = Number(process.hrtime.bigint() / 1000n);
  const syscallTrace = context.traceSyscalls ? startSyscallTrace(servers[0]!.pid) : null;
  await everyGenerator(generators, { type: "phase", phase }, "phase-started");
  // The /metrics scrape cost is measured in the middle of the steady phase, under its load.
  let scrape: ScrapeCost | null = null;
  if (phase === "steady" && context.sync) {
    await sleep((seconds * 1000) / 3);
    scrape = await measureScrapeCost(servers[0]!).catch(() => null);
    await sleep(Math.max(0, seconds * 1000 - (performance.now() - phaseStartedAt)));
  } else {
    await sleep(seconds * 1000);
  }
  await everyGenerator(generators, { type: "phase", phase: "quiet" }, "phase-started");
  const syscalls = (await syscallTrace?.stop()) ?? null;
  const phaseEndedAt = performance.now();
  const phaseEndedUs = Number(process.hrtime.bigint() / 1000n);
  const serverAfter = servers.map((server) => server.sample());
  const pressureAfter = cpuPressureMicros();
  const generatorAfter = generators.map((generator) => sampleProc(generator.child.pid!));
  const lagAfter = eventLoopLag(servers, context.sync);
  await sleep(drainMs);
  const reports = (await everyGenerator(generators, { type: "report" }, "report")).map((reply) => reply.stats);
  const lag = await lagAfter;

  const wall = reports.reduce((sum, report) => sum + report.seconds, 0) / reports.length;
  const sum = (pick: (stats: PhaseStats) => number) => reports.reduce((total, report) => total + pick(report), 0);
  const errors: Record<string, number> = {};
  for (const report of reports) for (const [key, count] of Object.entries(report.errors)) errors[key] = (errors[key] ?? 0) + count;
  const frames = sum((report) => report.framesReceived);
  const serverCpuSeconds = servers.reduce((total, _, index) => total + serverAfter[index]!.cpuSeconds - serverBefore[index]!.cpuSeconds, 0);
  return {
    seconds: Math.round(wall * 100) / 100,
    commandsPerSecond: Math.round(sum((report) => report.commandsSent) / wall),
    fanOutPerSecond: Math.round(sum((report) => report.receipts) / wall),
    framesPerSecond: Math.round(frames / wall),
    latency: merge(reports, (report) => [report.sameNode, report.crossNode]).summaryMs(),
    sameNode: merge(reports, (report) => [report.sameNode]).summaryMs(),
    crossNode: merge(reports, (report) => [report.crossNode]).summaryMs(),
    pongRtt: merge(reports, (report) => [report.pongRtt]).summaryMs(),
    gc: context.traceGc ? summariseGc(servers.flatMap((server) => server.gcPauses(phaseStartedAt, phaseEndedAt))) : null,
    stalls: context.traceStalls ? summariseStalls(servers.flatMap((server) => server.stalls(phaseStartedUs, phaseEndedUs))) : null,
    missingReceipts: sum((report) => report.missingReceipts),
    lateReceiptsPercent: Math.round((1000 * sum((report) => report.lateReceipts)) / Math.max(1, sum((report) => report.sameNode.count + report.crossNode.count))) / 10,
    resyncs: sum((report) => report.resyncs),
    errors,
    serverCpuPercent: servers.map((_, index) => Math.round(cpuPercent(serverBefore[index]!, serverAfter[index]!))),
    serverCpuMicrosPerFrame: Math.round((serverCpuSeconds * 1e7) / Math.max(1, frames)) / 10,
    fanOutPerCpuSecond: Math.round(sum((report) => report.receipts) / Math.max(0.001, serverCpuSeconds)),
    generatorCpuPercent: Math.round(generators.reduce((total, _, index) => total + cpuPercent(generatorBefore[index]!, generatorAfter[index]!), 0)),
    generatorLagP99Ms: Math.max(...reports.map((report) => report.generatorLagP99Ms)),
    eventLoopLag: lag,
    scrape,
    serverRssMb: serverAfter.map((sample) => Math.round(sample.rssKb / 1024)),
    cpuPressurePercent:
      pressureBefore === null || pressureAfter === null
        ? null
        : Math.round((pressureAfter - pressureBefore) / 1e4 / ((serverAfter[0]!.at - serverBefore[0]!.at) / 1000)),
    wire: summariseWire(
      reports,
      wall,
      { cpuSeconds: serverAfter[0]!.cpuSeconds - serverBefore[0]!.cpuSeconds, systemSeconds: serverAfter[0]!.systemSeconds - serverBefore[0]!.systemSeconds },
      syscalls,
    ),
  };
}

/** Repeats a phase under the profiler (first server only), after the measured phases. */
async function profilePhase(context: Context, phase: Exclude<Phase, "quiet">, options: BenchOptions, label: string) {
  const server = context.servers[0]!;
  const profiler = await startProfiler(server.inspectPort!);
  await everyGenerator(context.generators, { type: "phase", phase }, "phase-started");
  await sleep(options.profileSeconds * 1000);
  await everyGenerator(context.generators, { type: "phase", phase: "quiet" }, "phase-started");
  const profile = await profiler.stop();
  await everyGenerator(context.generators, { type: "report" }, "report");
  const file = join(options.outDir, `${label}-${phase}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  return { summary: summarise(profile), file };
}

/** Where the scenario's servers share rooms: one Redis, a Redis Cluster, or nowhere. */
export interface SharedStores {
  redisUrl: string | null;
  clusterSeeds: string[] | null;
}

/** The sync servers' environment per scenario (the baseline has none). */
function syncEnv(name: ScenarioName, stores: SharedStores): Record<string, string> {
  if (name === "cluster") return { REDIS_URL: stores.redisUrl! };
  if (name === "workers") return { REDIS_URL: stores.redisUrl!, SYNC_WORKERS: "2" };
  if (name === "redis-cluster") return { REDIS_CLUSTER_URLS: stores.clusterSeeds!.join(",") };
  return {};
}

export async function runScenario(name: ScenarioName, options: BenchOptions, stores: SharedStores, stamp: string): Promise<ScenarioResult> {
  const sync = name !== "baseline";
  // `workers` is one server process (the primary) with two workers behind one port.
  const nodes = name === "cluster" || name === "redis-cluster" ? 2 : 1;
  // The baseline is profiled too: the two profiles side by side show where the sync server's
  // extra time per frame goes. A workers primary does no sync work: nothing to profile there.
  const profile = options.profile && name !== "workers";
  const loadBefore = loadAverage();
  const prefix = `L${randomBytes(3).toString("hex").toUpperCase().slice(0, 3)}`;
  const servers: ServerProcess[] = [];
  const generators: Generator[] = [];
  try {
    for (let node = 0; node < nodes; node++) {
      servers.push(
        sync
          ? await startSyncProcess({ env: syncEnv(name, stores), inspect: profile, traceGc: options.traceGc, traceStalls: options.traceStalls })
          : await startBareProcess({ inspect: profile, traceGc: options.traceGc, traceStalls: options.traceStalls }),
      );
    }
    if (options.pin) for (const server of servers) pinTo(server.pid, SERVER_CPUS);
    await sleep(1_000);
    const rssBefore = servers.map((server) => server.sample().rssKb);

    const rooms = planRooms(options, nodes, prefix);
    for (let index = 0; index < options.generators; index++) generators.push(new Generator(forkGenerator()));
    if (options.pin) for (const generator of generators) pinTo(generator.child.pid!, GENERATOR_CPUS);
    await Promise.all(generators.map((generator) => generator.next("ready")));
    generators.forEach((generator, index) => {
      const config: GeneratorConfig = {
        urls: servers.map((server) => server.url),
        rooms: rooms.filter((_, room) => room % options.generators === index),
        connectConcurrency: 200,
        pingEveryMs: 3_000,
        syncCheckEveryMs: 2_000,
        commandEveryMs: 2_000,
        saturationWindow: 2,
        saturationRatePerHost: 35,
      };
      generator.send({ type: "configure", config });
    });
    const connectCpuBefore = servers.map((server) => server.sample().cpuSeconds);
    const connectTimeoutMs = Math.max(120_000, options.clients * CONNECT_MS_PER_CLIENT);
    const connected = await everyGenerator(generators, { type: "connect" }, "connected", connectTimeoutMs);
    const connectCpuSeconds = servers.reduce((total, server, index) => total + server.sample().cpuSeconds - connectCpuBefore[index]!, 0);
    const opened = connected.reduce((total, reply) => total + reply.opened, 0);
    const connectSeconds = Math.max(...connected.map((reply) => reply.seconds));
    await sleep(2_000);
    const rssAfter = servers.map((server) => server.sample().rssKb);
    const rssGrowthKb = rssAfter.reduce((total, rss, index) => total + rss - rssBefore[index]!, 0);

    await everyGenerator(generators, { type: "play" }, "playing");
    await sleep(3_000);
    const context: Context = { servers, generators, sync, traceGc: options.traceGc, traceStalls: options.traceStalls, traceSyscalls: options.traceSyscalls };
    const steady = await runPhase(context, "steady", options.steadySeconds, 500);
    const saturate = await runPhase(context, "saturate", options.saturateSeconds, 500);
    const profiles: ScenarioResult["profiles"] = { files: [] };
    if (profile) {
      for (const phase of ["steady", "saturate"] as const) {
        const { summary, file } = await profilePhase(context, phase, options, `${stamp}-${name}-${options.clients}`);
        profiles[phase] = summary;
        profiles.files.push(file);
      }
    }
    for (const server of servers) {
      if (!server.alive()) throw new Error(`a server under test died during the run:\n${server.output()}`);
    }
    return {
      scenario: name,
      loadAverage: { before: loadBefore, after: loadAverage() },
      server: sync ? "sync" : "bare-ws",
      nodes,
      clients: options.clients,
      rooms: options.rooms,
      connect: {
        opened,
        failed: connected.reduce((total, reply) => total + reply.failed, 0),
        seconds: Math.round(connectSeconds * 100) / 100,
        perSecond: Math.round(opened / connectSeconds),
        serverCpuMicrosPerConnection: Math.round((connectCpuSeconds * 1e6) / Math.max(1, opened)),
      },
      rssPerIdleConnectionKb: Math.round((10 * rssGrowthKb) / Math.max(1, opened)) / 10,
      steady,
      saturate,
      profiles,
    };
  } catch (error) {
    // Say which process died and what it last printed, not just the symptom.
    const dead = servers.filter((server) => !server.alive()).map((server) => `server ${server.pid} exited; its last output:\n${server.output()}`);
    const lostGenerators = generators.filter((generator) => generator.child.exitCode !== null || generator.child.signalCode !== null);
    const detail = [...dead, ...lostGenerators.map((generator) => `generator ${generator.child.pid} exited (${generator.child.exitCode ?? generator.child.signalCode})`)];
    if (detail.length === 0) throw error;
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${detail.join("\n")}`);
  } finally {
    await Promise.all(
      generators.map(async (generator) => {
        if (generator.child.exitCode !== null || !generator.child.connected) return;
        generator.send({ type: "close" });
        await generator.next("closed", 5_000).catch(() => generator.child.kill("SIGKILL"));
      }),
    );
    await Promise.all(servers.map((server) => server.stop()));
    if ((name === "cluster" || name === "workers") && stores.redisUrl) await deleteRoomKeys(stores.redisUrl, prefix).catch(() => 0);
  }
}
