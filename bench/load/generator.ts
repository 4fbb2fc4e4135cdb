/**
 * Load generator (a child process of run.ts): opens its share of the clients, plays the real
 * client pattern, and reports per-phase figures to the parent over IPC. Every room's clients live
 * in one generator, so a command's send and its receipts are timed on one monotonic clock.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import WebSocket from "ws";
import { addAnchor, type Client, type Command, LiveStats, openClients, pool, positionAt, type RoomRun, TRACK } from "./generator-state.js";
import type { GeneratorConfig, GeneratorMessage, ParentMessage, Phase, PhaseStats } from "./ipc.js";

const JOIN_TIMEOUT_MS = 20_000;
const PLAY_TIMEOUT_MS = 15_000;
/** How long a report waits for receipts still on their way. */
const RECEIPT_WAIT_MS = 10_000;
/** A generator never outlives a forgotten parent by long. */
const MAX_LIFETIME_MS = 30 * 60_000;

let config: GeneratorConfig;
const rooms: RoomRun[] = [];
const timers = new Set<NodeJS.Timeout>();
let phase: Phase = "quiet";
let current = new LiveStats();
let measured: LiveStats | null = null;
let closing = false;
const LOOP_RESOLUTION_MS = 10;
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
loopDelay.enable();

function send(message: GeneratorMessage): void {
  process.send?.(message);
}

function every(periodMs: number, action: () => void): void {
  const start = setTimeout(() => {
    timers.delete(start);
    action();
    const interval = setInterval(action, periodMs);
    timers.add(interval);
  }, Math.random() * periodMs);
  timers.add(start);
}

function transmit(client: Client, message: object): void {
  if (client.ws.readyState !== WebSocket.OPEN) return;
  client.ws.send(JSON.stringify(message));
  current.framesSent++;
}

function sendCommand(room: RoomRun): void {
  const host = room.clients[0];
  if (!host || host.ws.readyState !== WebSocket.OPEN) return;
  // The seek position doubles as the command id: the server echoes it in every receipt.
  const id = 10_000 + ++room.seq;
  const command: Command = { id, sentAt: process.hrtime.bigint(), remaining: openClients(room), stats: current, room, seen: false };
  room.inFlight.set(id, command);
  current.commands.push(command);
  current.commandsSent++;
  room.outstanding++;
  transmit(host, { type: "SEEK", id: `c${id}`, seekPositionMs: id });
}

/** Saturation: keep `saturationWindow` commands in flight per room, at most the per-host rate. */
function pump(room: RoomRun): void {
  if (phase !== "saturate") return;
  while (room.outstanding < config.saturationWindow) {
    const now = performance.now();
    if (now < room.nextAllowedMs) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        pump(room);
      }, room.nextAllowedMs - now);
      timers.add(timer);
      return;
    }
    room.nextAllowedMs = now + 1000 / config.saturationRatePerHost;
    sendCommand(room);
  }
}

function onSeek(client: Client, seekPositionMs: number, atServerMs: number): void {
  const room = client.room;
  const command = room.inFlight.get(seekPositionMs);
  current.receipts++;
  if (!command) return;
  const micros = Number(process.hrtime.bigint() - command.sentAt) / 1000;
  (client.crossNode ? command.stats.crossNode : command.stats.sameNode).record(micros);
  // Arriving after the instant it takes effect, a command makes the client jump (audibly).
  if (atServerMs < Date.now()) command.stats.lateReceipts++;
  if (!command.seen) {
    command.seen = true;
    addAnchor(room, { atServerMs, positionMs: seekPositionMs });
  }
  if (--command.remaining <= 0) room.inFlight.delete(seekPositionMs);
  if (client.isHost) {
    room.outstanding = Math.max(0, room.outstanding - 1);
    if (phase === "saturate" && room.outstanding < config.saturationWindow) pump(room);
  }
}

function onFrame(client: Client, data: Buffer): void {
  current.framesReceived++;
  const message = JSON.parse(data.toString()) as Record<string, unknown> & { type: string };
  current.receivedFrame(message.type, data.length);
  switch (message.type) {
    case "SEEK":
      onSeek(client, message.seekPositionMs as number, message.atServerMs as number);
      break;
    case "time_pong":
      current.pongs++;
      current.pongRtt.record((performance.now() - (message.t0 as number)) * 1000);
      break;
    case "joined":
      client.onJoined?.();
      break;
    case "PLAY":
      if (client.isHost) {
        addAnchor(client.room, { atServerMs: message.startServerMs as number, positionMs: message.positionMs as number });
        client.room.onPlaying?.();
      }
      break;
    case "RESYNC":
      current.resyncs++;
      break;
    case "error":
    case "command_refused":
      current.error(String(message.code));
      break;
    default:
      break;
  }
}

function openClient(room: RoomRun, index: number): Promise<boolean> {
  const node = room.plan.nodes[index] ?? 0;
  const ws = new WebSocket(config.urls[node]!, { perMessageDeflate: false });
  const client: Client = { ws, room, isHost: index === 0, crossNode: node !== room.plan.nodes[0], onJoined: null };
  room.clients.push(client);
  return new Promise((resolve) => {
    const timeout = setTimeout(() => finish(false), JOIN_TIMEOUT_MS);
    function finish(ok: boolean): void {
      clearTimeout(timeout);
      client.onJoined = null;
      resolve(ok);
    }
    client.onJoined = () => finish(true);
    ws.on("open", () => ws.send(JSON.stringify({ type: "join", roomCode: room.plan.code, versions: { min: 2, max: 2 }, userId: `u${index}` })));
    ws.on("message", (data: Buffer) => onFrame(client, data));
    ws.on("ping", () => current.pingsReceived++);
    ws.on("error", () => {
      current.error("socket-error");
      finish(false);
    });
    ws.on("close", (code) => {
      if (!closing) current.error(`close:${code}`);
      finish(false);
    });
  });
}

async function connect(): Promise<void> {
  const started = performance.now();
  for (const plan of config.rooms) {
    rooms.push({ plan, clients: [], seq: 0, inFlight: new Map(), outstanding: 0, nextAllowedMs: 0, anchors: [], onPlaying: null });
  }
  // Hosts first: with dev identity the first joiner of a room becomes its host.
  let failed = await pool(rooms, config.connectConcurrency, (room) => openClient(room, 0));
  const guests = rooms.flatMap((room) => Array.from({ length: room.plan.clients - 1 }, (_, index) => ({ room, index: index + 1 })));
  failed += await pool(guests, config.connectConcurrency, ({ room, index }) => openClient(room, index));
  const opened = rooms.reduce((sum, room) => sum + room.clients.length, 0) - failed;
  send({ type: "connected", opened, failed, seconds: (performance.now() - started) / 1000 });
}

async function play(): Promise<void> {
  const playing = await Promise.all(
    rooms.map(
      (room) =>
        new Promise<boolean>((resolve) => {
          const timeout = setTimeout(() => resolve(false), PLAY_TIMEOUT_MS);
          room.onPlaying = () => {
            clearTimeout(timeout);
            room.onPlaying = null;
            resolve(true);
          };
          const host = room.clients[0];
          if (host) transmit(host, { type: "PLAY", id: "play", ...TRACK });
        }),
    ),
  );
  for (const room of rooms) {
    for (const client of room.clients) {
      every(config.pingEveryMs, () => transmit(client, { type: "time_ping", t0: performance.now() }));
      every(config.syncCheckEveryMs, () => {
        const now = Date.now();
        transmit(client, { type: "sync_check", clientPosMs: Math.round(positionAt(room, now)), clientTimeMs: now });
      });
    }
  }
  send({ type: "playing", rooms: playing.filter(Boolean).length });
}

const steadyTimers = new Set<NodeJS.Timeout>();

function enterPhase(next: Phase): void {
  for (const timer of steadyTimers) clearTimeout(timer);
  steadyTimers.clear();
  current.endedAt = performance.now();
  // The histogram records whole 10 ms timer periods; the lag is what exceeds the period.
  current.lagP99Ms = Math.max(0, loopDelay.percentile(99) / 1e6 - LOOP_RESOLUTION_MS);
  loopDelay.reset();
  phase = next;
  current = new LiveStats();
  for (const room of rooms) {
    room.outstanding = 0;
    room.nextAllowedMs = 0;
  }
  if (next !== "quiet") measured = current;
  if (next === "steady") {
    for (const room of rooms) {
      const start = setTimeout(() => {
        sendCommand(room);
        const interval = setInterval(() => sendCommand(room), config.commandEveryMs);
        steadyTimers.add(interval);
      }, Math.random() * config.commandEveryMs);
      steadyTimers.add(start);
    }
  }
  if (next === "saturate") for (const room of rooms) pump(room);
  send({ type: "phase-started", phase: next });
}

/** Waits (bounded) for the phase's last receipts, then reports; what never came is "missing". */
async function report(): Promise<PhaseStats> {
  const stats = measured ?? current;
  measured = null;
  const deadline = performance.now() + RECEIPT_WAIT_MS;
  while (stats.commands.some((command) => command.remaining > 0) && performance.now() < deadline) {
    await new Promise((done) => setTimeout(done, 100));
  }
  let missingReceipts = 0;
  for (const command of stats.commands) {
    if (command.remaining > 0) {
      missingReceipts += command.remaining;
      command.room.inFlight.delete(command.id);
    }
  }
  const endedAt = stats.endedAt ?? performance.now();
  return {
    seconds: (endedAt - stats.startedAt) / 1000,
    commandsSent: stats.commandsSent,
    sameNode: stats.sameNode.toSparse(),
    crossNode: stats.crossNode.toSparse(),
    pongRtt: stats.pongRtt.toSparse(),
    missingReceipts,
    framesReceived: stats.framesReceived,
    received: stats.received,
    pingsReceived: stats.pingsReceived,
    receipts: stats.receipts,
    lateReceipts: stats.lateReceipts,
    framesSent: stats.framesSent,
    pongs: stats.pongs,
    resyncs: stats.resyncs,
    errors: stats.errors,
    generatorLagP99Ms: stats.lagP99Ms,
  };
}

function close(): void {
  closing = true;
  for (const timer of [...timers, ...steadyTimers]) clearTimeout(timer);
  for (const room of rooms) for (const client of room.clients) client.ws.terminate();
  send({ type: "closed" });
  setTimeout(() => process.exit(0), 200).unref();
}

process.on("message", (message: ParentMessage) => {
  switch (message.type) {
    case "configure":
      config = message.config;
      break;
    case "connect":
      void connect();
      break;
    case "play":
      void play();
      break;
    case "phase":
      enterPhase(message.phase);
      break;
    case "report":
      void report().then((stats) => send({ type: "report", stats }));
      break;
    case "close":
      close();
      break;
    default: {
      const unhandled: never = message;
      throw new Error(`unknown parent message ${JSON.stringify(unhandled)}`);
    }
  }
});
process.on("disconnect", () => process.exit(0));
setTimeout(() => process.exit(1), MAX_LIFETIME_MS).unref();
send({ type: "ready" });
