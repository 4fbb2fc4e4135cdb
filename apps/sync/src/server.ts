import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { CloseCode } from "@sync-beats/protocol";
import { verifyTrackGrant } from "@sync-beats/ticket";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
import type { Backplane } from "./backplane.js";
import { type ServerClock, systemClock } from "./clock.js";
import type { SyncServerConfig } from "./config.js";
import type { ConnectionDeps } from "./connection.js";
import { viaBackplane } from "./errors.js";
import { devIdentityVerifier, ticketVerifier } from "./identity.js";
import { createInternalApi } from "./internal-api.js";
import { createMemoryBackplane } from "./memory-backplane.js";
import { HeartbeatSweep } from "./heartbeat.js";
import { createMetrics } from "./metrics.js";
import { type ChatStore, createMemoryChatStore } from "./chat-store.js";
import { createRedisChatStore } from "./redis-chat-store.js";
import { RoomRegistry } from "./room-registry.js";
import { WsAdapter, type WsAdapterDeps } from "./ws-adapter.js";
import { SharedFrames } from "./ws-frames.js";

export interface RunningSyncServer {
  readonly port: number;
  readonly registry: RoomRegistry;
  close(): Promise<void>;
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

  const heartbeat = new HeartbeatSweep(clock, config.heartbeatMs);
  const connectionDeps: ConnectionDeps = {
    registry,
    verifyIdentity,
    clock,
    logger,
    limits: config.limits,
    resolveTrack: grantSecret ? (grant, wallNowMs) => verifyTrackGrant(grant, grantSecret, wallNowMs) : undefined,
    onMessage: metrics.onMessage,
  };
  const adapterDeps: WsAdapterDeps = { clock, logger, heartbeat, frames: new SharedFrames(), connection: connectionDeps, onClose: () => connections-- };
  wss.on("connection", (ws) => {
    connections++;
    // The socket holds its adapter (as a tagged property, for its shared listeners): nothing else needs to.
    new WsAdapter(ws, adapterDeps);
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
      heartbeat.dispose();
      await registry.dispose();
      await backplane.close();
      await chatStore.close();
      metrics.stop();
    },
  };
}
