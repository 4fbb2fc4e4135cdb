/**
 * [RC8] A node whose Redis connection went dark lost the broadcasts published meanwhile (pub/sub
 * keeps nothing); once it has resubscribed, its rooms reload their state and tell their members
 * what they missed. The dark link is a TCP proxy between that node and Redis that drops every
 * byte Redis sends, then cuts the connections; ioredis reconnects and resubscribes through it.
 */
import { connect, createServer, type Server, type Socket } from "node:net";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../src/clock.js";
import { createRedisBackplane } from "../src/redis-backplane.js";
import { type RunningSyncServer, startSyncServer } from "../src/server.js";
import { startRedisTime } from "../src/shared-time.js";
import { announceRedisSkip, TEST_REDIS_URL, uniqueName } from "./backplanes.js";
import { testServerConfig } from "./harness.js";
import { TestClient } from "./ws-client.js";

announceRedisSkip("backplane gap");

const config = testServerConfig({ redisUrl: TEST_REDIS_URL ?? null });

/** Forwards to Redis; `dark` drops what Redis sends, `cut()` closes every connection through it. */
function redisLink(redisUrl: string) {
  const target = new URL(redisUrl);
  const sockets = new Set<Socket>();
  const link = { dark: false, server: null as Server | null, cut: () => sockets.forEach((socket) => socket.destroy()) };
  link.server = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => undefined);
    }
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", (chunk) => link.dark || client.write(chunk));
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  return link;
}

describe.skipIf(!TEST_REDIS_URL)("[RC8] a node that missed broadcasts catches up", () => {
  const link = redisLink(TEST_REDIS_URL ?? "redis://127.0.0.1:6379");
  const stops: (() => Promise<void>)[] = [];
  const clients: TestClient[] = [];
  let direct: RunningSyncServer;
  let behindLink: RunningSyncServer;

  async function node(redisUrl: string): Promise<RunningSyncServer> {
    const logger = pino({ level: "silent" });
    const time = await startRedisTime(TEST_REDIS_URL!, systemClock);
    const server = await startSyncServer(config, logger, time.clock, await createRedisBackplane(redisUrl, time.clock, logger));
    stops.push(async () => {
      await server.close();
      await time.stop();
    });
    return server;
  }

  beforeAll(async () => {
    await new Promise<void>((resolve) => link.server!.listen(0, "127.0.0.1", resolve));
    const port = (link.server!.address() as { port: number }).port;
    direct = await node(TEST_REDIS_URL!);
    behindLink = await node(`redis://127.0.0.1:${port}`);
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    link.dark = false;
    for (const stop of stops.reverse()) await stop();
    link.server?.close();
  });

  it("[RC8] a PAUSE published while the node's link was dark reaches its listener after the reconnect", async () => {
    const room = uniqueName("G");
    const host = await TestClient.join(`ws://127.0.0.1:${direct.port}`, "host", room);
    const listener = await TestClient.join(`ws://127.0.0.1:${behindLink.port}`, "listener", room);
    clients.push(host, listener);
    host.send({ type: "PLAY", id: "play", audioUrl: "/a.wav", duration: 120_000 });
    await Promise.all([host.next("PLAY"), listener.next("PLAY")]);

    link.dark = true;
    host.send({ type: "PAUSE", id: "pause" });
    const pause = await host.next("PAUSE");
    // The loss is real: the broadcast does not arrive while the link is dark.
    await expect(listener.next("PAUSE", 500)).rejects.toThrow(/timed out/);

    link.dark = false;
    link.cut();
    const caughtUp = await listener.next("PLAY_SYNC", 10_000);
    expect(caughtUp).toMatchObject({ audioUrl: "/a.wav", isPaused: true, positionMs: pause.positionMs });
  });
});
