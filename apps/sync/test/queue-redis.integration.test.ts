import pino from "pino";
import type { ServerMessageOf } from "@sync-beats/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../src/clock.js";
import { createRedisBackplane } from "../src/redis-backplane.js";
import { type RunningSyncServer, startSyncServer } from "../src/server.js";
import { startRedisTime } from "../src/shared-time.js";
import { announceRedisSkip, TEST_REDIS_URL, uniqueName } from "./backplanes.js";
import { testRoomConfig, testServerConfig } from "./harness.js";
import { GRANT_SECRET, grantFor, libraryTrack } from "./queue-tracks.js";
import { TestClient } from "./ws-client.js";

// The queue across sync processes: concurrent adds ordered by the backplane's compare-and-set,
// the server advance exactly once however many nodes hold the room, and a restart keeps the queue.
const redisUrl = TEST_REDIS_URL;
announceRedisSkip("shared queue over Redis");

const config = testServerConfig({ room: { ...testRoomConfig, queueLookaheadMs: 600 }, redisUrl: redisUrl ?? null, trackGrantSecret: GRANT_SECRET });

const stops: (() => Promise<void>)[] = [];
const clients: TestClient[] = [];

async function startNode(): Promise<{ url: string; server: RunningSyncServer; stop(): Promise<void> }> {
  const logger = pino({ level: "silent" });
  const time = await startRedisTime(redisUrl!, systemClock);
  const server = await startSyncServer(config, logger, time.clock, await createRedisBackplane(redisUrl!, time.clock, logger));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.close();
    await time.stop();
  };
  stops.push(stop);
  return { url: `ws://127.0.0.1:${server.port}`, server, stop };
}

async function join(url: string, userId: string, room: string): Promise<TestClient> {
  const client = await TestClient.join(url, userId, room);
  clients.push(client);
  return client;
}

const queues = (client: TestClient) => client.received.filter((m): m is ServerMessageOf<"queue"> => m.type === "queue");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const stop of stops.splice(0)) await stop();
});

describe.skipIf(!redisUrl)("shared queue over Redis", () => {
  it("[Q9] concurrent adds on two nodes all land, in one order every member sees", async () => {
    const [a, b] = [await startNode(), await startNode()];
    const room = uniqueName("Q");
    const onA = await join(a.url, "ann", room);
    const onB = await join(b.url, "bob", room);
    for (let index = 0; index < 8; index++) {
      const client = index % 2 ? onA : onB;
      client.send({ type: "queue_add", id: `add-${index}`, trackGrant: grantFor(libraryTrack(`t${index}`), Date.now()) });
    }
    await sleep(800);
    const [lastA, lastB] = [queues(onA).at(-1), queues(onB).at(-1)];
    expect(lastA?.items).toHaveLength(8);
    expect(lastA?.version).toBe(8);
    expect(lastB).toEqual(lastA);
    expect(new Set(lastA?.items.map((item) => item.track.trackId)).size).toBe(8);
  });

  it("[Q8][Q9] two nodes hold the room: the advance happens once, at the end instant; then the room stops once", async () => {
    const [a, b] = [await startNode(), await startNode()];
    const room = uniqueName("Q");
    const host = await join(a.url, "host", room);
    const listener = await join(b.url, "lena", room);
    listener.send({ type: "queue_add", id: "add", trackGrant: grantFor(libraryTrack("next", 1), Date.now()) });
    await listener.answer("add");
    host.send({ type: "PLAY", id: "play", audioUrl: "/first.wav", duration: 1_200, trackId: "first" });
    const play = await host.next("PLAY");
    const change = await listener.next("TRACK_CHANGE", 4_000);
    expect(change).toEqual({ type: "TRACK_CHANGE", trackData: libraryTrack("next", 1), startServerMs: play.startServerMs + 1_200 });
    await sleep(play.startServerMs + 1_200 + 1_000 + 600 - Date.now());
    for (const client of [host, listener]) {
      expect(client.received.filter((m) => m.type === "TRACK_CHANGE")).toHaveLength(1);
      const ended = queues(client).filter((q) => q.endedAtServerMs !== null);
      expect(ended).toHaveLength(1);
      expect(ended[0]!.endedAtServerMs).toBe(change.startServerMs + 1_000);
    }
  });

  it("[Q1] a sync restart keeps the queue (it lives in the backplane, like the timeline)", async () => {
    const a = await startNode();
    const room = uniqueName("Q");
    const ann = await join(a.url, "ann", room);
    for (const id of ["x", "y"]) {
      ann.send({ type: "queue_add", id: `add-${id}`, trackGrant: grantFor(libraryTrack(id), Date.now()) });
      await ann.answer(`add-${id}`);
    }
    const before = queues(ann).at(-1)!;
    await a.stop();
    const restarted = await startNode();
    const back = await join(restarted.url, "ann", room);
    expect(await back.first("queue")).toEqual(before);
  });
});
