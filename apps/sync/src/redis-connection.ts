import { Cluster, Redis } from "ioredis";

/** One Redis server (its URL), or a Redis Cluster given by some of its nodes (seed URLs). */
export type RedisTarget = string | { cluster: readonly string[] };

/** A connection to either; they share the command API the backplane uses. */
export type RedisClient = Redis | Cluster;

export function isCluster(target: RedisTarget): target is { cluster: readonly string[] } {
  return typeof target !== "string";
}

/** For logs: the URL, or the seeds; never a password. */
export function describeTarget(target: RedisTarget): string {
  const hide = (url: string) => url.replace(/\/\/[^@/]*@/, "//***@");
  return isCluster(target) ? `cluster ${target.cluster.map(hide).join(",")}` : hide(target);
}

/** How often a cluster client re-reads which node serves which slot (bounds the failover window). */
const SLOTS_REFRESH_MS = 1_000;

function seedOf(url: string): { host: string; port: number } {
  const parsed = new URL(url.includes("://") ? url : `redis://${url}`);
  return { host: parsed.hostname, port: Number(parsed.port || 6379) };
}

/**
 * A not-yet-connected client (call `connect()`). On a cluster, `sharded` opens one subscriber per
 * master so that `SSUBSCRIBE` reaches the shard that owns each channel.
 */
export function redisClient(target: RedisTarget, options: { sharded?: boolean } = {}): RedisClient {
  const client = createClient(target, options.sharded ?? false);
  // Connection errors surface on the commands that fail (and `/healthz`); without a listener
  // ioredis prints each reconnect attempt as an unhandled error event.
  client.on("error", () => undefined);
  return client;
}

/**
 * A command unanswered this long fails (a room's commits queue behind each other, so one lost on a
 * dead master's connection would hold the room's every later command).
 */
const COMMAND_TIMEOUT_MS = 3_000;

function createClient(target: RedisTarget, sharded: boolean): RedisClient {
  const common = { maxRetriesPerRequest: 3, commandTimeout: COMMAND_TIMEOUT_MS };
  if (!isCluster(target)) return new Redis(target, { ...common, lazyConnect: true, enableAutoPipelining: true });
  const first = new URL(target.cluster[0]!.includes("://") ? target.cluster[0]! : `redis://${target.cluster[0]}`);
  return new Cluster(target.cluster.map(seedOf), {
    lazyConnect: true,
    enableAutoPipelining: true,
    // ioredis re-reads the slot map on MOVED and on errors unless told otherwise; reading it every
    // second too bounds how long a client keeps a dead master's slots after its replica took over.
    slotsRefreshInterval: SLOTS_REFRESH_MS,
    shardedSubscribers: sharded,
    redisOptions: { ...common, username: first.username || undefined, password: first.password || undefined },
  });
}

/** Whether the server has sharded pub/sub (`SPUBLISH`, Redis 7). */
export async function hasShardedPubSub(client: RedisClient): Promise<boolean> {
  try {
    const info = (await client.call("COMMAND", "INFO", "SPUBLISH")) as unknown[];
    return Array.isArray(info) && info[0] !== null;
  } catch {
    return false;
  }
}
