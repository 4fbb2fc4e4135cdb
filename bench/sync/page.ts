/**
 * The benchmark page (bundled by esbuild, served by page-server.ts). It knows nothing about the
 * measurement: the init script (tap-init.ts) taps whatever reaches `destination`. The benchmark
 * drives it through `window.bench`.
 */
import { createSyncEngine, createWebAudioOutput, type SyncAlgorithm, type SyncEngine, type SyncStats } from "@sync-beats/sync-engine";
import { invertFit, segmentedFit, type LinearFit } from "./fit.js";

/** One calibration round trip: page real time before and after, the benchmark's clock in between. */
export interface CalibrationSample {
  readonly sentMs: number;
  readonly receivedMs: number;
  readonly benchMs: number;
}

export interface EngineSetup {
  readonly syncUrl: string;
  readonly roomCode: string;
  readonly userId: string;
  readonly algorithm: SyncAlgorithm;
}

/** Engine stats sampled every 250 ms, plus the real page time of the join milestones. */
export interface EngineReport {
  readonly connectAtMs: number | null;
  readonly joinedAtMs: number | null;
  readonly stats: SyncStats | null;
  readonly history: {
    atMs: number;
    hardSeeks: number;
    resyncs: number;
    rttMs: number | null;
    driftMs: number | null;
    serverOffsetMs: number | null;
    playbackRate: number;
  }[];
  readonly errors: string[];
}

let engine: SyncEngine | null = null;
let context: AudioContext | null = null;
const report: { connectAtMs: number | null; joinedAtMs: number | null; history: EngineReport["history"]; errors: string[] } = {
  connectAtMs: null,
  joinedAtMs: null,
  history: [],
  errors: [],
};

const tap = () => window.__benchTap;

/** Round trips to the benchmark's clock over a loopback WebSocket (tighter than fetch). */
async function calibrate(samples: number): Promise<CalibrationSample[]> {
  const socket = new WebSocket(`ws://${location.host}/time-ws`);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  const out: CalibrationSample[] = [];
  try {
    for (let i = 0; i < samples; i += 1) {
      const sentMs = tap().realNow();
      const reply = await new Promise<string>((resolve) => {
        socket.onmessage = (event: MessageEvent<string>) => resolve(event.data);
        socket.send("t");
      });
      out.push({ sentMs, receivedMs: tap().realNow(), benchMs: Number(reply) });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    socket.close();
  }
  return out;
}

function ensureContext(): AudioContext {
  context ??= new AudioContext();
  return context;
}

let directBuffer: AudioBuffer | null = null;

/** The direct check, step 1: decode the timecode and collect 2 s of output timestamps. */
async function prepareDirect(): Promise<void> {
  const ctx = ensureContext();
  await ctx.resume();
  await tap().ready();
  const response = await fetch("/timecode.wav");
  directBuffer = await ctx.decodeAudioData(await response.arrayBuffer());
  for (let i = 0; i < 300; i += 1) {
    const data = await tap().collect();
    if (data && data.stamps.length >= 2 * 200) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The direct check, step 2: schedule the timecode with `start(when)` so it is heard at bench
 * instant `trueStartMs`, through a fit of the latest stretch of output timestamps.
 */
async function scheduleDirect(trueStartMs: number, benchMinusPageMs: number): Promise<{ when: number; lateS: number; fit: LinearFit }> {
  const ctx = ensureContext();
  const data = await tap().collect();
  if (!data || !directBuffer) throw new Error("prepareDirect first");
  const xs = data.stamps.filter((_, i) => i % 2 === 0);
  const ys = data.stamps.filter((_, i) => i % 2 === 1);
  const fit = segmentedFit(xs, ys, 1000).at(-1)?.fit;
  if (!fit) throw new Error("no output timestamp fit");
  const performanceMs = trueStartMs - benchMinusPageMs - tap().realTimeOrigin;
  const when = invertFit(fit, performanceMs);
  const source = ctx.createBufferSource();
  source.buffer = directBuffer;
  source.connect(ctx.destination);
  source.start(when);
  return { when, lateS: Math.max(0, ctx.currentTime - when), fit };
}

async function setupEngine(setup: EngineSetup): Promise<void> {
  const ctx = ensureContext();
  await tap().ready();
  engine = createSyncEngine({
    syncUrl: setup.syncUrl,
    roomCode: setup.roomCode,
    algorithm: setup.algorithm,
    createSocket: (url) => new WebSocket(url),
    getJoinCredentials: async () => ({ userId: setup.userId, name: setup.userId }),
    audio: createWebAudioOutput({ createContext: () => ctx }),
    logger: { warn: (...args: unknown[]) => report.errors.push(args.map(String).join(" ").slice(0, 300)) },
  });
  engine.subscribe(() => {
    const snapshot = engine?.getSnapshot();
    if (snapshot?.connection.status === "joined" && report.joinedAtMs === null) report.joinedAtMs = tap().realNow();
    if (snapshot?.lastError && report.errors.length < 50) report.errors.push(`${snapshot.lastError.code}: ${snapshot.lastError.message}`);
  });
  setInterval(() => {
    const stats = engine?.getSnapshot().stats;
    if (!stats || report.history.length > 4000) return;
    report.history.push({
      atMs: tap().realNow(),
      hardSeeks: stats.hardSeeks,
      resyncs: stats.resyncs,
      rttMs: stats.rttMs,
      driftMs: stats.driftMs,
      serverOffsetMs: stats.serverOffsetMs,
      playbackRate: stats.playbackRate,
    });
  }, 250);
}

function connect(): void {
  if (!engine) throw new Error("engine not set up");
  report.connectAtMs = tap().realNow();
  void engine.unlockAudio().catch(() => undefined);
  engine.connect();
}

function engineReport(): EngineReport {
  return { ...report, stats: engine?.getSnapshot().stats ?? null };
}

function stop(): void {
  engine?.disconnect();
  engine = null;
}

const api = { calibrate, prepareDirect, scheduleDirect, setupEngine, connect, engineReport, stop };
export type BenchPageApi = typeof api;
(window as unknown as { bench: BenchPageApi }).bench = api;
