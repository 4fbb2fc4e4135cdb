/**
 * Starts the sync server (`apps/sync`) as a child process on a free loopback port, in dev-identity
 * mode (the first joiner of a room hosts; no tickets), and a host controller that talks to it
 * directly (no proxy): it sends PLAY/SEEK and records the broadcasts, which are the truth.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createConnection, createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { WebSocket } from "ws";
import { PROTOCOL_VERSIONS, type ServerMessage } from "@sync-beats/protocol";
import { quantile } from "./fit.js";
import { listenLoopback, nowMs, sleep } from "./time.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../..");

async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listenLoopback(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: "127.0.0.1", port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await sleep(100);
  }
  throw new Error(`sync server did not listen on ${port} within ${timeoutMs} ms`);
}

export interface SyncServerProcess {
  readonly port: number;
  readonly child: ChildProcess;
  /** Null while it runs; else how it ended (code or signal). */
  exitedWith(): string | null;
  stop(): Promise<void>;
}

export async function startSyncServer(): Promise<SyncServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(repoRoot, "node_modules/tsx/dist/cli.mjs"), join(repoRoot, "apps/sync/src/main.ts")], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", SYNC_DEV_IDENTITY: "1", LOG_LEVEL: "warn", NODE_ENV: "development" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  let exitedWith: string | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exitedWith = signal ?? `code ${code}`;
      resolve();
    }),
  );
  await waitForPort(port, 30_000);
  return {
    port,
    child,
    exitedWith: () => exitedWith,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await Promise.race([exited, sleep(3000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

/** A broadcast timeline event in server time. */
export interface ServerEvent {
  readonly type: "PLAY" | "SEEK";
  readonly atServerMs: number;
  readonly positionMs: number;
  readonly receivedBenchMs: number;
}

/** The host, joined directly: issues commands, records what the server broadcast. */
export interface HostController {
  readonly events: ServerEvent[];
  /** Server clock minus bench clock (best of the loopback pings), and that ping's RTT. */
  readonly serverMinusBenchMs: number;
  readonly pingRttMs: number;
  play(audioUrl: string, durationMs: number): Promise<ServerEvent>;
  seek(positionMs: number): Promise<ServerEvent>;
  close(): void;
}

export async function connectHost(port: number, roomCode: string): Promise<HostController> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}`);
  socket.binaryType = "nodebuffer";
  const events: ServerEvent[] = [];
  const waiters: ((message: ServerMessage, atMs: number) => boolean)[] = [];
  socket.on("message", (data: Buffer) => {
    const atMs = nowMs();
    const message = JSON.parse(data.toString("utf8")) as ServerMessage;
    if (message.type === "PLAY") events.push({ type: "PLAY", atServerMs: message.startServerMs, positionMs: message.positionMs, receivedBenchMs: atMs });
    if (message.type === "SEEK") events.push({ type: "SEEK", atServerMs: message.atServerMs, positionMs: message.seekPositionMs, receivedBenchMs: atMs });
    for (let i = waiters.length - 1; i >= 0; i -= 1) if (waiters[i]!(message, atMs)) waiters.splice(i, 1);
  });
  let socketError: Error | null = null;
  // Kept for the socket's whole life: an unhandled 'error' event would end the benchmark.
  socket.on("error", (error) => (socketError = error));
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("close", () => reject(socketError ?? new Error("host socket closed")));
  });
  const next = <T>(match: (message: ServerMessage, atMs: number) => T | null, timeoutMs = 5000): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("host: no answer from the sync server")), timeoutMs);
      waiters.push((message, atMs) => {
        const value = match(message, atMs);
        if (value === null) return false;
        clearTimeout(timer);
        resolve(value);
        return true;
      });
    });
  const send = (message: object) => socket.send(JSON.stringify(message));

  const joined = next((message) => (message.type === "joined" ? message : null));
  send({ type: "join", roomCode, versions: PROTOCOL_VERSIONS, userId: "bench-host", name: "bench host" });
  if ((await joined).role !== "host") throw new Error("bench host did not get the host role");

  const offsets: { rtt: number; offset: number }[] = [];
  for (let i = 0; i < 20; i += 1) {
    const pong = next((message, atMs) => (message.type === "time_pong" ? { message, atMs } : null));
    send({ type: "time_ping", t0: nowMs() });
    const { message, atMs } = await pong;
    if (message.type !== "time_pong") continue;
    offsets.push({ rtt: atMs - message.t0 - (message.t2 - message.t1), offset: (message.t1 - message.t0 + (message.t2 - atMs)) / 2 });
    await sleep(30);
  }
  offsets.sort((a, b) => a.rtt - b.rtt);
  const best = offsets.slice(0, 5);

  return {
    events,
    serverMinusBenchMs: quantile(best.map((o) => o.offset), 0.5),
    pingRttMs: best[0]?.rtt ?? Number.NaN,
    async play(audioUrl, durationMs) {
      const count = events.length;
      const broadcast = next(() => (events.length > count && events.at(-1)!.type === "PLAY" ? events.at(-1)! : null));
      send({ type: "PLAY", id: `play-${count}`, audioUrl, duration: durationMs, title: "timecode" });
      return broadcast;
    },
    async seek(positionMs) {
      const count = events.length;
      const broadcast = next(() => (events.length > count && events.at(-1)!.type === "SEEK" ? events.at(-1)! : null));
      send({ type: "SEEK", id: `seek-${count}`, seekPositionMs: positionMs });
      return broadcast;
    },
    close: () => socket.close(),
  };
}
