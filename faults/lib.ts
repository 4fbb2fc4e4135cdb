import { type ChildProcess, spawn } from "node:child_process";
import { connect, createServer, type Server, type Socket } from "node:net";
import { resolve } from "node:path";
import { PROTOCOL_VERSIONS } from "@sync-beats/protocol";
import { signTicket } from "@sync-beats/ticket";

/** The repository root (scenarios spawn the apps' own entry points from it). */
export const ROOT = resolve(import.meta.dirname, "..");

export interface ScenarioResult {
  name: string;
  /** "pass", "fail", "degraded" (a documented limitation observed as documented) or "skipped". */
  outcome: "pass" | "fail" | "degraded" | "skipped";
  figures: Record<string, string | number>;
  notes: string[];
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A server process started from its TypeScript entry, as `npm start` would, with its own env. */
export class AppProcess {
  private child: ChildProcess | null = null;
  readonly output: string[] = [];

  constructor(
    private readonly entry: string,
    private readonly env: Record<string, string>,
    readonly healthUrl: string,
  ) {}

  async start(timeoutMs = 60_000): Promise<number> {
    const startedAt = performance.now();
    this.child = spawn(process.execPath, ["--import", "tsx", resolve(ROOT, this.entry)], {
      cwd: ROOT,
      env: { ...process.env, ...this.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child.stdout!.on("data", (chunk: Buffer) => this.output.push(chunk.toString()));
    this.child.stderr!.on("data", (chunk: Buffer) => this.output.push(chunk.toString()));
    while (performance.now() - startedAt < timeoutMs) {
      if (this.child.exitCode !== null) throw new Error(`${this.entry} exited with ${this.child.exitCode}: ${this.output.join("").slice(-2_000)}`);
      const ok = await fetch(this.healthUrl).then((r) => r.ok, () => false);
      if (ok) return performance.now() - startedAt;
      await sleep(50);
    }
    throw new Error(`${this.entry} did not become healthy in ${timeoutMs} ms: ${this.output.join("").slice(-2_000)}`);
  }

  get alive(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** `kill -9`: no shutdown hooks, no goodbye frames. */
  async kill9(): Promise<void> {
    await this.stopWith("SIGKILL");
  }

  async stop(): Promise<void> {
    await this.stopWith("SIGTERM");
  }

  private async stopWith(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill(signal);
    await exited;
  }
}

/** A TCP proxy to a local service (PostgreSQL, Redis) that a scenario cuts and restores, killing live connections. */
export function cuttableProxy(targetPort: number) {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  return {
    async open(port: number) {
      server = createServer((client) => {
        const upstream = connect(targetPort, "127.0.0.1");
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
          socket.on("error", () => {});
        }
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((r) => server!.listen(port, "127.0.0.1", r));
    },
    async cut() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
      server = null;
    },
  };
}

// Seeded backoff jitter: the sync engine's test PRNG (mulberry32), reused rather than copied.
export { seededRandom } from "@sync-beats/sync-engine/testing";

/**
 * A join frame with a ticket as the API would sign it for `userId` in `room`, whose owner is
 * `ownerId` (the owner becomes host when the room has none).
 */
export function ticketJoin(secret: string, room: string, userId: string, ownerId: string): string {
  const facts = { name: room, ownerId, listenersCanControl: false, version: 1 };
  const ticket = signTicket({ userId, name: userId, roomCode: room, room: facts }, secret);
  return JSON.stringify({ type: "join", roomCode: room, versions: PROTOCOL_VERSIONS, ticket });
}
