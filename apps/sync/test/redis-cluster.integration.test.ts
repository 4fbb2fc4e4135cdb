/**
 * Sync servers over a real Redis Cluster (3 masters, 3 replicas, started here): where a room's
 * keys and channel live [RC1][RC2], and a master killed mid-song [RC5].
 */
import pino from "pino";
import { Cluster } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testRoomConfig } from "./harness.js";
import type { SyncServerConfig } from "../src/config.js";
import { startNode } from "../src/node.js";
import { uniqueName } from "./backplanes.js";
import { redisClusterUnavailable, type RunningRedisCluster, startRedisCluster } from "./redis-cluster.js";
import { TestClient } from "./ws-client.js";

const unavailable = await redisClusterUnavailable();
if (unavailable) console.log(`[sync over Redis Cluster] ${unavailable}`);

const config: SyncServerConfig = {
  port: 0,
  host: "127.0.0.1",
  room: { ...testRoomConfig, firstJoinerHosts: true },
  limits: { maxFrameBytes: 16 * 1024, messagesPerSecond: 40, messageBurst: 80 },
  heartbeatMs: 15_000,
  redisUrl: null,
  ticketSecret: null,
  logLevel: "silent",
};

describe.skipIf(unavailable !== null)("sync over Redis Cluster", () => {
  let cluster: RunningRedisCluster;
  const nodes: { port: number; close(): Promise<void> }[] = [];
  const clients: TestClient[] = [];

  beforeAll(async () => {
    cluster = await startRedisCluster({ nodeTimeoutMs: 1_000 });
    const logger = pino({ level: "silent" });
    for (let index = 0; index < 2; index++) nodes.push(await startNode(config, { cluster: cluster.seeds }, logger));
  }, 90_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all(nodes.map((node) => node.close().catch(() => undefined)));
    await cluster?.stop();
  });

  async function join(node: number, userId: string, room: string): Promise<TestClient> {
    const client = await TestClient.join(`ws://127.0.0.1:${nodes[node]!.port}`, userId, room);
    clients.push(client);
    return client;
  }

  it("[RC1][RC2] a room's keys and channel share one slot; nodes follow it by sharded pub/sub on its shard", async () => {
    const room = uniqueName("RC");
    await join(0, "host", room);
    await join(1, "listener", room);
    const redis = new Cluster(cluster.seeds.map((url) => ({ host: "127.0.0.1", port: Number(new URL(url).port) })));
    try {
      const slots = await Promise.all([`sb:room:{${room}}:state`, `sb:room:{${room}}:presence`, `sb:room:{${room}}`].map((key) => redis.cluster("KEYSLOT", key)));
      expect(new Set(slots).size).toBe(1);
      const master = await cluster.masterOf(`sb:room:{${room}}`);
      const shard = redis.nodes("master").find((node) => node.options.port === master.port)!;
      expect(await shard.call("PUBSUB", "SHARDNUMSUB", `sb:room:{${room}}`)).toEqual([`sb:room:{${room}}`, 2]);
      expect(await shard.call("PUBSUB", "NUMSUB", `sb:room:{${room}}`)).toEqual([`sb:room:{${room}}`, 0]);
    } finally {
      redis.disconnect();
    }
  });

  it("[RC5] the room's master killed mid-song: after the replica's election the room keeps its timeline and commands cross nodes again", async () => {
    const room = uniqueName("RF");
    const host = await join(0, "host", room);
    const listener = await join(1, "listener", room);
    host.send({ type: "PLAY", id: "play", audioUrl: "/a.wav", duration: 600_000 });
    const play = await listener.next("PLAY");

    cluster.kill(await cluster.masterOf(`sb:room:{${room}}`));
    const killedAt = performance.now();
    // Seek every 100 ms until one is accepted: the window in which the room cannot change.
    let accepted: number | null = null;
    for (let attempt = 0; accepted === null && performance.now() - killedAt < 30_000; attempt++) {
      host.send({ type: "SEEK", id: `s${attempt}`, seekPositionMs: 30_000 });
      const answer = await host.answer(`s${attempt}`, 10_000).catch(() => null);
      if (answer?.type === "command_accepted") accepted = answer.atServerMs;
      else await new Promise((done) => setTimeout(done, 100));
    }
    const windowMs = performance.now() - killedAt;
    console.log(`[RC5] commands refused or unanswered for ${windowMs.toFixed(0)} ms after the master's kill (node timeout 1,000 ms)`);
    expect(accepted).not.toBeNull();
    // The listener on the other node hears it: the sharded subscription moved to the new master.
    const seek = await listener.next("SEEK", 15_000);
    expect(seek.atServerMs).toBe(accepted);
    // A newcomer is told the song as it plays: the timeline (PLAY, then the SEEK) survived.
    const late = await join(1, "late", room);
    const joinedState = await late.first("PLAY_SYNC");
    expect(joinedState).toMatchObject({ audioUrl: play.audioUrl, isPaused: false });
    // A newcomer quicker than the SEEK's lead joins before it takes effect: then the SEEK follows
    // PLAY_SYNC as the command announced but not yet in force.
    if (joinedState.positionMs < 30_000) expect(await late.first("SEEK")).toMatchObject({ seekPositionMs: 30_000, atServerMs: accepted });
    else expect(joinedState.positionMs).toBeGreaterThanOrEqual(30_000);
  }, 60_000);
});
