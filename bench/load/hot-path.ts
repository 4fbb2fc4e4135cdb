/**
 * The sync server's own work per client frame, without sockets or a network: the real
 * Connection → Room → memory backplane path on a fake clock, fed `bench:load`'s pattern (per
 * client: a `time_ping` every 3 s, a `sync_check` every 2 s, the host's SEEK every 2 s per room).
 * Reports CPU µs per frame and GCs per 100k frames for each frame type. CPU time per frame moves
 * far less with the machine's load than latency does, so before/after runs on a busy machine
 * compare; run both in one go with `--rounds` and read the medians.
 *
 *   npm run bench:hot-path -- [--rooms 100] [--frames 200000] [--rounds 5]
 */
import { constants, PerformanceObserver } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { PROTOCOL_VERSIONS } from "@sync-beats/protocol";
import pino from "pino";
import { createMemoryBackplane } from "@sync-beats/sync";
import { Connection, devIdentityVerifier, FakeClock, RoomRegistry, type ClientSocket, type OutboundFrame } from "@sync-beats/sync/testing";

const CLIENTS_PER_ROOM = 10;
const TRACK = { audioUrl: "/bench.wav", duration: 3_600_000 };
/** Frames per sender per second of each type (bench:load's generator; a SEEK comes from the host). */
const RATES = { time_ping: 1 / 3, sync_check: 1 / 2, SEEK: 1 / 2 } as const;
/** Senders of each type per client. */
const SENDERS = { time_ping: 1, sync_check: 1, SEEK: 1 / CLIENTS_PER_ROOM } as const;
type FrameType = keyof typeof RATES;

/** What the `ws` adapter does per frame, minus the socket: count it. */
class CountingSocket implements ClientSocket {
  frames = 0;
  bytes = 0;
  readonly isOpen = true;
  send(frame: OutboundFrame): boolean {
    this.frames++;
    this.bytes += frame.length;
    return true;
  }
  close(): void {}
}

interface Client {
  connection: Connection;
  roomIndex: number;
  isHost: boolean;
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

async function setUp(rooms: number) {
  const clock = new FakeClock();
  const logger = pino({ level: "silent" });
  const backplane = createMemoryBackplane(clock);
  const config = { leadMs: 200, maxLeadMs: 1_500, resyncThresholdMs: 500, hostGraceMs: 10_000, emptyRoomGraceMs: 60_000, firstJoinerHosts: true };
  const registry = new RoomRegistry(clock, config, logger, backplane);
  const sockets: CountingSocket[] = [];
  const clients: Client[] = [];
  for (let roomIndex = 0; roomIndex < rooms; roomIndex++) {
    for (let index = 0; index < CLIENTS_PER_ROOM; index++) {
      const socket = new CountingSocket();
      sockets.push(socket);
      const connection = new Connection(socket, {
        registry,
        verifyIdentity: devIdentityVerifier,
        clock,
        logger,
        limits: { maxFrameBytes: 16 * 1024, messagesPerSecond: 40, messageBurst: 80 },
        onMessage: () => undefined,
      });
      connection.onText(JSON.stringify({ type: "join", roomCode: `ROOM${roomIndex}`, versions: PROTOCOL_VERSIONS, userId: `u${index}` }), clock.now());
      await settle();
      connection.onRtt(2);
      clients.push({ connection, roomIndex, isHost: index === 0 });
    }
  }
  for (const client of clients) if (client.isHost) client.connection.onText(JSON.stringify({ type: "PLAY", id: "play", ...TRACK }), clock.now());
  await settle();
  clock.advance(2_000);
  await settle();
  return { clock, clients, sockets, registry };
}

/** One frame of `type`, as the generator sends it; a sync_check reports the room's own position (no RESYNC). */
function frameOf(type: FrameType, nowMs: number, seq: number, positionMs: number): string {
  if (type === "time_ping") return JSON.stringify({ type, t0: nowMs + 0.123 });
  if (type === "sync_check") return JSON.stringify({ type, clientPosMs: Math.round(positionMs), clientTimeMs: Math.round(nowMs) });
  return JSON.stringify({ type, id: `c${seq}`, seekPositionMs: 10_000 + (seq % 100_000) });
}

interface Measure {
  type: FrameType;
  microsPerFrame: number;
  gcsPer100k: number;
  framesOutPerFrame: number;
}

/**
 * Sends `frames` frames of one type round-robin over the clients that send it, moving the fake
 * clock as the real pattern would (so rate limits and leads behave as under load).
 */
async function measure(type: FrameType, setup: Awaited<ReturnType<typeof setUp>>, frames: number, gcs: { count: number }): Promise<Measure> {
  const { clock, clients, sockets, registry } = setup;
  const senders = type === "SEEK" ? clients.filter((client) => client.isHost) : clients;
  const stepMs = 1000 / (RATES[type] * senders.length);
  const framesOutBefore = sockets.reduce((sum, socket) => sum + socket.frames, 0);
  const gcBefore = gcs.count;
  const cpuBefore = process.cpuUsage();
  let elapsedMs = 0;
  for (let sent = 0; sent < frames; sent++) {
    const client = senders[sent % senders.length]!;
    const positionMs = type === "sync_check" ? (registry.get(`ROOM${client.roomIndex}`)?.positionAt(clock.now()) ?? 0) : 0;
    client.connection.onText(frameOf(type, clock.now(), sent, positionMs), clock.now());
    elapsedMs += stepMs;
    if (elapsedMs >= 50) {
      // Let the commands' promise chains finish and the clock move, as 50 ms of real time would.
      await settle();
      clock.advance(Math.floor(elapsedMs));
      elapsedMs -= Math.floor(elapsedMs);
    }
  }
  await settle();
  const cpu = process.cpuUsage(cpuBefore);
  const framesOut = sockets.reduce((sum, socket) => sum + socket.frames, 0) - framesOutBefore;
  return {
    type,
    microsPerFrame: (cpu.user + cpu.system) / frames,
    gcsPer100k: ((gcs.count - gcBefore) * 100_000) / frames,
    framesOutPerFrame: framesOut / frames,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rooms: { type: "string", default: "100" }, frames: { type: "string", default: "200000" }, rounds: { type: "string", default: "5" } } });
  const rooms = Number(values.rooms);
  const frames = Number(values.frames);
  const rounds = Number(values.rounds);
  const gcs = { count: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR || kind === constants.NODE_PERFORMANCE_GC_MAJOR) gcs.count++;
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  const setup = await setUp(rooms);
  const results: Record<FrameType, Measure[]> = { time_ping: [], sync_check: [], SEEK: [] };
  // A first round warms the JIT up; it is not reported.
  for (let round = 0; round <= rounds; round++) {
    for (const type of Object.keys(RATES) as FrameType[]) {
      const result = await measure(type, setup, type === "SEEK" ? Math.ceil(frames / 10) : frames, gcs);
      if (round > 0) results[type].push(result);
    }
  }
  observer.disconnect();
  console.log(`hot path: ${rooms * CLIENTS_PER_ROOM} clients in ${rooms} rooms, ${rounds} rounds, medians (node ${process.version})`);
  console.log("| frame | CPU µs per frame | GCs per 100k frames | frames out per frame |");
  console.log("|---|---|---|---|");
  for (const [type, measures] of Object.entries(results)) {
    const cell = (pick: (measure: Measure) => number, digits: number) => median(measures.map(pick)).toFixed(digits);
    console.log(`| ${type} | ${cell((m) => m.microsPerFrame, 2)} | ${cell((m) => m.gcsPer100k, 1)} | ${cell((m) => m.framesOutPerFrame, 2)} |`);
  }
  const types = Object.keys(RATES) as FrameType[];
  const mix = types.reduce((sum, type) => sum + RATES[type] * SENDERS[type] * median(results[type].map((m) => m.microsPerFrame)), 0);
  const rate = types.reduce((sum, type) => sum + RATES[type] * SENDERS[type], 0);
  console.log(`bench:load's mix: ${(mix / rate).toFixed(2)} µs per client frame`);
}

await main();
