import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pino from "pino";
import { CloseCode, PROTOCOL_VERSIONS } from "@sync-beats/protocol";
import { signTicket } from "@sync-beats/ticket";
import { afterEach, describe, expect, it } from "vitest";
import { type ServerClock, systemClock } from "../src/clock.js";
import type { Transition } from "../src/backplane.js";
import { createRedisBackplane, withRoomCommit } from "../src/redis-backplane.js";
import { type RunningSyncServer, startSyncServer } from "../src/server.js";
import { startRedisTime } from "../src/shared-time.js";
import { announceRedisSkip, TEST_REDIS_URL } from "./backplanes.js";
import { testRoomConfig, testServerConfig } from "./harness.js";
import { TestClient } from "./ws-client.js";

// The backplane's own contract, ordering and compare-and-set included, is backplane-contract.ts.
const redisUrl = TEST_REDIS_URL;
announceRedisSkip("two sync processes over Redis");

const config = testServerConfig({ room: { ...testRoomConfig, hostGraceMs: 300 }, redisUrl: redisUrl ?? null });

interface Node {
  url: string;
  server: RunningSyncServer;
  stop(): Promise<void>;
}

const running: Node[] = [];
const clients: TestClient[] = [];

/** A sync process on the shared Redis; `skewMs` shifts its own clock to model unsynchronised hosts. */
async function startNode(skewMs = 0, ticketSecret: string | null = null): Promise<Node> {
  const logger = pino({ level: "silent" });
  const base: ServerClock = { ...systemClock, now: () => systemClock.now() + skewMs };
  const time = await startRedisTime(redisUrl!, base);
  const backplane = await createRedisBackplane(redisUrl!, time.clock, logger);
  const server = await startSyncServer({ ...config, ticketSecret }, logger, time.clock, backplane);
  let stopped = false;
  const node: Node = {
    url: `ws://127.0.0.1:${server.port}`,
    server,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close();
      await time.stop();
    },
  };
  running.push(node);
  return node;
}

function freshRoom(): string {
  return `R${randomBytes(4).toString("hex").toUpperCase()}`;
}

async function join(node: Node, userId: string, roomCode: string) {
  const client = await TestClient.join(node.url, userId, roomCode);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const node of running.splice(0)) await node.stop();
});

describe.skipIf(!redisUrl)("two sync processes over Redis", () => {
  it("[RB1] host on node B, guest on node A: commands and late-join positions agree", async () => {
    const [a, b] = [await startNode(), await startNode()];
    const room = freshRoom();
    const host = await join(b, "host", room);
    const guest = await join(a, "guest", room);
    expect((await host.first("user_joined")).totalClients).toBe(2);
    expect(guest.received[0]).toMatchObject({ type: "joined", hostId: "host", role: "listener" });

    host.send({ type: "PLAY", id: "play", audioUrl: "/a.wav", duration: 120_000 });
    const [onHost, onGuest] = await Promise.all([host.next("PLAY"), guest.next("PLAY")]);
    expect(onGuest).toEqual(onHost);

    await new Promise((resolve) => setTimeout(resolve, 300));
    const lateA = await join(a, "late-a", room);
    const lateB = await join(b, "late-b", room);
    const [syncA, syncB] = await Promise.all([lateA.first("PLAY_SYNC"), lateB.first("PLAY_SYNC")]);
    for (const sync of [syncA, syncB]) expect(sync.positionMs).toBeCloseTo(sync.atServerMs - onHost.startServerMs, 6);

    guest.send({ type: "PAUSE", id: "pause" });
    expect(await guest.answer("pause")).toMatchObject({ type: "command_refused", code: "NOT_HOST" });
    host.send({ type: "SEEK", id: "seek", seekPositionMs: 42_000 });
    expect((await guest.next("SEEK")).seekPositionMs).toBe(42_000);
  });

  it("[RB2] presence counts span nodes", async () => {
    const [a, b] = [await startNode(), await startNode()];
    const room = freshRoom();
    const first = await join(a, "u1", room);
    await join(b, "u2", room);
    const third = await join(a, "u3", room);
    expect(third.received[0]).toMatchObject({ type: "joined" });
    const joined = third.received[0] as { participants: { userId: string }[] };
    expect(joined.participants.map((p) => p.userId)).toEqual(["u1", "u2", "u3"]);
    third.close();
    expect(await first.next("user_left")).toEqual({ type: "user_left", userId: "u3", totalClients: 2 });
  });

  it("[RB3] a node restart mid-song loses nothing", async () => {
    const a = await startNode();
    const room = freshRoom();
    const host = await join(a, "host", room);
    host.send({ type: "PLAY", id: "play", audioUrl: "/a.wav", duration: 120_000 });
    const play = await host.next("PLAY");
    await new Promise((resolve) => setTimeout(resolve, 300));
    await a.stop();
    await host.closed;
    const restarted = await startNode();
    const back = await join(restarted, "host", room);
    const sync = await back.first("PLAY_SYNC");
    expect(sync.audioUrl).toBe("/a.wav");
    expect(sync.positionMs).toBeCloseTo(sync.atServerMs - play.startServerMs, 6);
    expect(back.received[0]).toMatchObject({ type: "joined", role: "host" });
  });

  it("[RB4] nodes whose own clocks differ by 900 ms still stamp one timeline (shared Redis time)", async () => {
    const a = await startNode(-450);
    const b = await startNode(+450);
    const room = freshRoom();
    const onA = await join(a, "a", room);
    const onB = await join(b, "b", room);
    onA.send({ type: "time_ping", t0: 1 });
    onB.send({ type: "time_ping", t0: 2 });
    const [pongA, pongB] = await Promise.all([onA.next("time_pong"), onB.next("time_pong")]).catch((error: unknown) => {
      throw new Error(`${String(error)} ${JSON.stringify([onA.received, onB.received])}`);
    });
    // Both answered within the same few milliseconds of real time; unsynchronised they would differ by 900 ms.
    expect(Math.abs(pongA.t2 - pongB.t2)).toBeLessThan(50);
  });

  it("[RB5] concurrent commands from two nodes are all applied, in one order everywhere", async () => {
    const [a, b] = [await startNode(), await startNode()];
    const room = freshRoom();
    const hostA = await join(a, "host", room);
    const hostB = await join(b, "host", room);
    hostA.send({ type: "PLAY", id: "play", audioUrl: "/a.wav", duration: 600_000 });
    await hostB.next("PLAY");
    for (let index = 0; index < 10; index++) {
      (index % 2 ? hostA : hostB).send({ type: "SEEK", id: "seek", seekPositionMs: (index + 1) * 1_000 });
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const seeksA = hostA.received.filter((m) => m.type === "SEEK");
    const seeksB = hostB.received.filter((m) => m.type === "SEEK");
    expect(seeksA).toHaveLength(10);
    expect(seeksB).toEqual(seeksA);
  });

  it("[RB6] a departed host is replaced across nodes after the grace period", async () => {
    const [a, b] = [await startNode(), await startNode()];
    const room = freshRoom();
    const host = await join(a, "host", room);
    const second = await join(b, "second", room);
    await join(a, "third", room);
    host.close();
    expect(await second.next("host_changed")).toEqual({ type: "host_changed", hostId: "second" });
    second.send({ type: "PLAY", id: "play", audioUrl: "/b.wav", duration: 10_000 });
    expect((await second.next("PLAY")).audioUrl).toBe("/b.wav");
  });

  it("[RB7][B2] a ticket joins once across all nodes", async () => {
    const secret = "redis-suite-ticket-secret-0123456789";
    const [a, b] = [await startNode(0, secret), await startNode(0, secret)];
    const roomCode = freshRoom();
    const ticket = signTicket({ userId: "u1", name: "U", roomCode, room: { name: null, ownerId: "owner", listenersCanControl: false, version: 1 } }, secret);
    const first = await TestClient.connect(a.url);
    clients.push(first);
    first.send({ type: "join", roomCode, versions: PROTOCOL_VERSIONS, ticket });
    expect((await first.first("joined")).userId).toBe("u1");
    const replay = await TestClient.connect(b.url);
    clients.push(replay);
    replay.send({ type: "join", roomCode, versions: PROTOCOL_VERSIONS, ticket });
    expect((await replay.first("error")).message).toMatch(/already used/);
    expect((await replay.closed).code).toBe(CloseCode.UNAUTHORIZED);
  });

  it("[RB9] a commit resent after a lost reply (same commit id) is not applied or published twice", async () => {
    const room = freshRoom();
    const stateKey = `sb:room:{${room}}:state`;
    const channel = `sb:room:{${room}}`;
    const redis = withRoomCommit(new Redis(redisUrl!));
    const listener = new Redis(redisUrl!);
    try {
      const published: string[] = [];
      listener.on("message", (_channel: string, payload: string) => published.push(payload));
      await listener.subscribe(channel);
      const state = JSON.stringify({ version: 1, hostUserId: "h", timeline: null, facts: null, closedAtVersion: null, commitId: "commit-1" });
      expect(await redis.commitRoomState(stateKey, 0, state, "{}", 60, "commit-1", channel, "PUBLISH")).toEqual([1]);
      expect(await redis.commitRoomState(stateKey, 0, state, "{}", 60, "commit-1", channel, "PUBLISH")).toEqual([1]);
      expect(await redis.commitRoomState(stateKey, 0, state, "{}", 60, "commit-2", channel, "PUBLISH")).toEqual([0, state]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(published).toEqual(["{}"]);
      expect(JSON.parse((await redis.get(stateKey))!).version).toBe(1);
    } finally {
      await redis.del(stateKey);
      listener.disconnect();
      redis.disconnect();
    }
  });

  it("[RB10] presence entries of a node whose liveness key expired (a crash) are dropped on read", async () => {
    const logger = pino({ level: "silent" });
    const [crashed, survivor] = await Promise.all([
      createRedisBackplane(redisUrl!, systemClock, logger),
      createRedisBackplane(redisUrl!, systemClock, logger),
    ]);
    const redis = new Redis(redisUrl!);
    try {
      const room = freshRoom();
      const kept = { id: `${survivor.nodeId}:1`, userId: "kept", name: "Kept" };
      await crashed.join(room, { id: `${crashed.nodeId}:1`, userId: "lost", name: "Lost" });
      await survivor.join(room, kept);
      // What a kill -9 leaves behind once the node's liveness key has expired: its entries.
      await redis.del(`sb:node:${crashed.nodeId}`);
      expect(await survivor.presence(room)).toEqual([kept]);
      expect(await redis.zcard(`sb:room:{${room}}:presence`)).toBe(1);
    } finally {
      await Promise.all([crashed.close(), survivor.close()]);
      redis.disconnect();
    }
  });
});
