import { parseServerMessage, type ServerMessage } from "@sync-beats/protocol";
import pino from "pino";
import { WebSocket } from "ws";
import type { SyncServerConfig } from "../../src/config.js";
import { type RunningSyncServer, startSyncServer } from "../../src/server.js";
import { FakeClock } from "../fake-clock.js";
import { testRoomConfig } from "../harness.js";
import type { FuzzTransport } from "./fuzz-session.js";

/** Join timeout of the real server (server.ts); the model closes silent connections after it. */
export const SERVER_JOIN_TIMEOUT_MS = 10_000;

interface Client {
  ws: WebSocket;
  received: ServerMessage[];
  closedWith: number | null;
}

/**
 * The real `ws` server (HTTP upgrade, UTF-8 validation, payload cap, binary frames) on a fake
 * clock, so the same reference model predicts its every answer. Heartbeats are off: the fake clock
 * jumps minutes at once, faster than any pong could come back.
 */
export async function wsTransport(limits: SyncServerConfig["limits"]): Promise<FuzzTransport & { server: RunningSyncServer; invalid: string[] }> {
  const clock = new FakeClock();
  const server = await startSyncServer(
    { port: 0, host: "127.0.0.1", room: testRoomConfig, limits, heartbeatMs: 1e12, redisUrl: null, ticketSecret: null, logLevel: "silent" },
    pino({ level: "silent" }),
    clock,
  );
  const url = `ws://127.0.0.1:${server.port}`;
  const clients: Client[] = [];
  const invalid: string[] = [];

  async function until(done: () => boolean, timeoutMs = 3_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
  }

  return {
    clock,
    registry: server.registry,
    joinTimeoutMs: SERVER_JOIN_TIMEOUT_MS,
    server,
    invalid,
    async connect() {
      const ws = new WebSocket(url);
      const client: Client = { ws, received: [], closedWith: null };
      ws.on("message", (data, isBinary) => {
        const parsed = parseServerMessage(data.toString());
        if (isBinary || !parsed.ok) invalid.push(data.toString().slice(0, 300));
        else client.received.push(parsed.message);
      });
      ws.on("close", (code) => {
        client.closedWith = code;
      });
      ws.on("error", () => {});
      await new Promise<void>((resolve, reject) => {
        ws.once("open", () => resolve());
        ws.once("error", reject);
      });
      clients.push(client);
    },
    sendText: (index, text) => clients[index]!.ws.send(text),
    sendBinary: (index, bytes) => clients[index]!.ws.send(bytes, { binary: true }),
    normalize: (text) => Buffer.from(text, "utf8").toString("utf8"),
    received: (index) => clients[index]!.received,
    closedWith: (index) => clients[index]!.closedWith,
    invalidFrames: () => invalid,
    async waitFor(counts, from) {
      await until(() => counts.every((count, index) => clients[index]!.received.length >= count));
      // A frame that must get no answer may still be in flight: a ping's pong comes back after it
      // (the server handles one socket's frames in order, and sync_check, the only message that
      // may go unanswered, is handled synchronously).
      const client = from === undefined ? undefined : clients[from];
      if (client && client.closedWith === null && client.ws.readyState === WebSocket.OPEN) {
        await new Promise<void>((resolve) => {
          client.ws.once("pong", () => resolve());
          client.ws.ping();
        });
      }
    },
    async waitForClose(index: number) {
      await until(() => clients[index]!.closedWith !== null);
    },
    async dispose() {
      for (const client of clients) client.ws.terminate();
      await server.close();
    },
  };
}
