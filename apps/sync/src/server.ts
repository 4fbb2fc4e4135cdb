import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { CloseCode } from "@sync-beats/protocol";
import { verifyTrackGrant } from "@sync-beats/ticket";
import type { Logger } from "pino";
import { WebSocket, WebSocketServer } from "ws";
import type { Backplane } from "./backplane.js";
import type { ClientSocket } from "./client-socket.js";
import { type ServerClock, systemClock } from "./clock.js";
import type { SyncServerConfig } from "./config.js";
import { Connection } from "./connection.js";
import { viaBackplane } from "./errors.js";
import { devIdentityVerifier, ticketVerifier } from "./identity.js";
import { createInternalApi } from "./internal-api.js";
import { createMemoryBackplane } from "./memory-backplane.js";
import { createMetrics } from "./metrics.js";
import { type ChatStore, createMemoryChatStore } from "./chat-store.js";
import { createRedisChatStore } from "./redis-chat-store.js";
import { RoomRegistry } from "./room-registry.js";

/** A socket whose unsent data grows past this is too slow to follow the room; it is dropped. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** A connection must join within this long. */
const JOIN_TIMEOUT_MS = 10_000;
/** A pre-encoded frame is still a text frame (`ws` sends a Buffer as binary unless told). */
const AS_TEXT = { binary: false } as const;

export interface RunningSyncServer {
  readonly port: number;
  readonly registry: RoomRegistry;
  close(): Promise<void>;
}

/** Adapts a `ws` socket to the room's {@link ClientSocket}, dropping clients that fall behind. */
function adapt(ws: WebSocket): ClientSocket {
  return {
    send(frame) {
      if (ws.readyState !== WebSocket.OPEN) return false;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        ws.terminate();
        return false;
      }
      if (typeof frame === "string") ws.send(frame);
      else ws.send(frame, AS_TEXT);
      return true;
    },
    close(code, reason) {
      ws.close(code, reason);
    },
    get isOpen() {
      return ws.readyState === WebSocket.OPEN;
    },
  };
}

/** Starts the HTTP + WebSocket server; `config.port` 0 picks a free port. */
export async function startSyncServer(
  config: SyncServerConfig,
  logger: Logger,
  clock: ServerClock = systemClock,
  backplane: Backplane = createMemoryBackplane(clock),
  givenChatStore?: ChatStore,
): Promise<RunningSyncServer> {
  let connections = 0;
  const metrics = createMetrics({ connections: () => connections, rooms: () => registry.size });
  // Chat history follows the backplane: shared through Redis whenever rooms are [CH4].
  const chatStore = givenChatStore ?? (config.redisUrl ? await createRedisChatStore(config.redisUrl) : createMemoryChatStore());
  const registry = new RoomRegistry(clock, config.room, logger, backplane, metrics, chatStore);
  const verifyIdentity = config.ticketSecret
    ? ticketVerifier(config.ticketSecret, (jti, untilMs, nowMs) =>
        viaBackplane(() => backplane.claimOnce(`ticket:${jti}`, untilMs - nowMs)),
      )
    : devIdentityVerifier;

  const grantSecret = config.trackGrantSecret ?? config.ticketSecret;
  const internalApi = config.ticketSecret ? createInternalApi({ backplane, clock, secret: config.ticketSecret, logger }) : null;

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    if (internalApi && request.url?.startsWith("/internal/")) {
      internalApi(request, response).catch((error: unknown) => {
        logger.error({ err: error }, "internal request failed");
        if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: { code: "INTERNAL", message: "internal error" } }));
      });
      return;
    }
    if (request.method === "GET" && request.url === "/healthz") {
      const healthy = backplane.isHealthy();
      response.writeHead(healthy ? 200 : 503, { "content-type": "application/json" });
      const status = healthy ? "ok" : "backplane-unavailable";
      response.end(JSON.stringify({ status, node: backplane.nodeId, rooms: registry.size, connections }));
      return;
    }
    if (request.method === "GET" && request.url === "/metrics") {
      void metrics.registry.metrics().then((text) => {
        response.writeHead(200, { "content-type": metrics.registry.contentType });
        response.end(text);
      });
      return;
    }
    response.writeHead(404, { "content-type": "application/json" });
    response.end(JSON.stringify({ error: { code: "NOT_FOUND", message: "WebSocket clients connect to /" } }));
  };
  // With a certificate, the same handlers behind TLS: `https:` and `wss:` on the one port.
  const http = config.tls ? createTlsServer(config.tls, handle) : createServer(handle);

  // The hard cap closes the socket (ws answers 1009); below it, oversized frames get a typed error.
  const wss = new WebSocketServer({
    server: http,
    maxPayload: Math.max(64 * 1024, config.limits.maxFrameBytes * 4),
    perMessageDeflate: false,
  });

  wss.on("connection", (ws) => {
    connections++;
    const connection = new Connection(adapt(ws), {
      registry,
      verifyIdentity,
      clock,
      logger,
      limits: config.limits,
      resolveTrack: grantSecret ? (grant, wallNowMs) => verifyTrackGrant(grant, grantSecret, wallNowMs) : undefined,
      onMessage: metrics.onMessage,
    });
    // The heartbeat's ping/pong is also how the server measures each round trip itself (lead
    // sizing never trusts a client's word); the first ping goes out at once so a joiner is measured.
    let alive = true;
    let pingSentAt = 0;
    const ping = () => {
      alive = false;
      pingSentAt = clock.now();
      ws.ping();
    };
    ping();
    const stopHeartbeat = clock.setInterval(() => {
      if (!alive) {
        ws.terminate();
        return;
      }
      ping();
    }, config.heartbeatMs);
    const stopJoinTimer = clock.setTimeout(() => {
      if (connection.phase === "awaiting-join") ws.close(CloseCode.JOIN_TIMEOUT, "join timeout");
    }, JOIN_TIMEOUT_MS);

    ws.on("message", (data, isBinary) => {
      const receivedAt = clock.now();
      if (isBinary) connection.onBinary();
      else connection.onText(data.toString(), receivedAt);
    });
    ws.on("pong", () => {
      alive = true;
      connection.onRtt(clock.now() - pingSentAt);
    });
    ws.on("error", (error) => logger.debug({ err: error }, "socket error"));
    ws.on("close", () => {
      connections--;
      stopHeartbeat();
      stopJoinTimer();
      connection.onClose();
    });
  });

  await new Promise<void>((resolve) => http.listen(config.port, config.host, resolve));
  const port = (http.address() as AddressInfo).port;
  logger.info({ port, identity: config.ticketSecret ? "ticket" : "dev", tls: Boolean(config.tls) }, "sync server listening");

  return {
    port,
    registry,
    async close() {
      for (const room of registry.all()) room.closeAll(CloseCode.GOING_AWAY, "server shutting down");
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await registry.dispose();
      await backplane.close();
      await chatStore.close();
      metrics.stop();
    },
  };
}
