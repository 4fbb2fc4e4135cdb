import type { Logger } from "pino";
import type { Clock } from "./clock.js";
import { Redis } from "ioredis";
import { isCluster, type RedisClient, redisClient, type RedisTarget } from "./redis-connection.js";

/** How often a sharded subscriber compares the cluster's masters with those it subscribed on. */
const MASTERS_CHECK_MS = 1_000;

/** The room channels one node listens to, over plain or sharded pub/sub. */
export interface ChannelSubscriber {
  subscribe(channel: string): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  isHealthy(): boolean;
  close(): Promise<void>;
}

function mastersOf(client: RedisClient): string {
  if (!("nodes" in client)) return "";
  return client
    .nodes("master")
    .map((node) => `${node.options.host}:${node.options.port}`)
    .sort()
    .join(",");
}

/**
 * Plain pub/sub (one Redis, or a cluster without sharded pub/sub) is left to ioredis, which
 * resubscribes after a reconnect. Sharded pub/sub is not: after a master's failover ioredis
 * sometimes keeps a subscriber that never resubscribes on the new master, and the node stays deaf
 * to the room for good (1 run in 7 here). So when the set of masters changes, a fresh subscriber
 * subscribes every channel and then replaces the old one [RC6]. What is published while nobody
 * listens (a reconnect, the failover window) is lost, as pub/sub loses it: `onResubscribed` fires
 * once the channels are subscribed again, so the rooms can catch up from their stored state [RC8].
 */
export async function createChannelSubscriber(
  target: RedisTarget,
  sharded: boolean,
  onMessage: (channel: string, payload: string) => void,
  onResubscribed: () => void,
  clock: Clock,
  logger: Logger,
): Promise<ChannelSubscriber> {
  const channels = new Set<string>();
  const open = async (): Promise<RedisClient> => {
    const client = redisClient(target, { sharded });
    client.on(sharded ? "smessage" : "message", (channel: string, payload: string) => {
      if (client === active) onMessage(channel, payload);
    });
    await client.connect();
    if (client instanceof Redis) {
      // A later `ready` is a reconnect: ioredis has just queued the resubscriptions, and a PING
      // answered behind them on the same connection means they are in force.
      client.on("ready", () => {
        if (client !== active) return;
        client
          .ping()
          .then(onResubscribed)
          .catch((error: unknown) => logger.warn({ err: error }, "resubscribed, but the check after it failed"));
      });
    }
    return client;
  };
  let active = await open();
  let subscribedMasters = mastersOf(active);
  let replacing = false;

  const subscribeOn = (client: RedisClient, channel: string) => (sharded ? client.ssubscribe(channel) : client.subscribe(channel));
  const unsubscribeOn = (client: RedisClient, channel: string) => (sharded ? client.sunsubscribe(channel) : client.unsubscribe(channel));
  const replace = async () => {
    const next = await open();
    const subscribed = new Set(channels);
    try {
      await Promise.all([...subscribed].map((channel) => subscribeOn(next, channel)));
    } catch (error) {
      next.disconnect();
      throw error;
    }
    const previous = active;
    active = next;
    subscribedMasters = mastersOf(next);
    previous.disconnect();
    // Channels (un)subscribed on the previous subscriber while this one was being made.
    await Promise.all([
      ...[...channels].filter((channel) => !subscribed.has(channel)).map((channel) => subscribeOn(next, channel)),
      ...[...subscribed].filter((channel) => !channels.has(channel)).map((channel) => unsubscribeOn(next, channel)),
    ]);
    logger.info({ masters: subscribedMasters, channels: channels.size }, "sharded subscriber replaced after a topology change");
    onResubscribed();
  };

  const stopCheck =
    sharded && isCluster(target)
      ? clock.setInterval(() => {
          const masters = mastersOf(active);
          if (replacing || masters === "" || masters === subscribedMasters) return;
          replacing = true;
          replace()
            .catch((error: unknown) => logger.warn({ err: error }, "sharded subscriber replacement failed; retried on the next check"))
            .finally(() => {
              replacing = false;
            });
        }, MASTERS_CHECK_MS)
      : () => undefined;

  return {
    async subscribe(channel) {
      channels.add(channel);
      await subscribeOn(active, channel);
    },
    async unsubscribe(channel) {
      channels.delete(channel);
      await unsubscribeOn(active, channel);
    },
    isHealthy: () => active.status === "ready",
    async close() {
      stopCheck();
      await active.quit();
    },
  };
}
