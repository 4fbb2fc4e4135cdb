/**
 * `SYNC_WORKERS=2`: two sync processes on one port (Node's cluster, round-robin), sharing rooms
 * through real Redis [SC4]. Needs TEST_REDIS_URL.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { announceRedisSkip, TEST_REDIS_URL, uniqueName } from "./backplanes.js";
import { type SyncProcess, startSyncProcess } from "./sync-process.js";
import { TestClient } from "./ws-client.js";

announceRedisSkip("sync workers");

describe.skipIf(!TEST_REDIS_URL)("SYNC_WORKERS on one port", () => {
  let server: SyncProcess;
  let workerIds: string[];
  let redis: Redis;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    server = await startSyncProcess({ SYNC_WORKERS: "2", REDIS_URL: TEST_REDIS_URL! });
    workerIds = await server.nodes(2);
    redis = new Redis(TEST_REDIS_URL!);
  }, 90_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    redis?.disconnect();
    expect(await server?.stop()).toBe(0);
  });

  /** Which worker each user's connection landed on, from the room's presence in Redis. */
  async function workerOf(room: string): Promise<Map<string, string>> {
    const entries = (await redis.zrange(`sb:room:{${room}}:presence`, 0, -1)).map((raw) => JSON.parse(raw) as { id: string; userId: string });
    return new Map(entries.map((entry) => [entry.userId, entry.id.slice(0, entry.id.lastIndexOf(":"))]));
  }

  it("[SC4] clients of one room on different workers hear each other's joins and commands", async () => {
    expect(new Set(workerIds).size).toBe(2);
    const room = uniqueName("W");
    const host = await TestClient.join(server.url, "host", room);
    clients.push(host);
    // Round-robin puts the next connection on the other worker; join until one landed there.
    let listener: TestClient | null = null;
    for (let index = 0; index < 6 && !listener; index++) {
      const candidate = await TestClient.join(server.url, `listener${index}`, room);
      clients.push(candidate);
      const placement = await workerOf(room);
      if (placement.get(`listener${index}`) !== placement.get("host")) listener = candidate;
    }
    expect(listener, "no connection reached the second worker").not.toBeNull();
    const placement = await workerOf(room);
    const listenerId = [...placement.keys()].find((userId) => userId !== "host" && placement.get(userId) !== placement.get("host"))!;
    expect((await host.first("user_joined")).userId).toMatch(/^listener/);
    expect(host.received.some((message) => message.type === "user_joined" && message.userId === listenerId)).toBe(true);

    host.send({ type: "PLAY", id: "p1", audioUrl: "/a.wav", duration: 60_000 });
    const play = await listener!.next("PLAY");
    const accepted = await host.answer("p1");
    expect(accepted.type).toBe("command_accepted");
    expect(play.startServerMs).toBe(accepted.type === "command_accepted" ? accepted.atServerMs : Number.NaN);
    await redis.del(`sb:room:{${room}}:state`, `sb:room:{${room}}:presence`);
  }, 60_000);
});
