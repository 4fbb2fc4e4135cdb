import type { ServerClock } from "./clock.js";
import { isCluster, type RedisClient, redisClient, type RedisTarget } from "./redis-connection.js";

/** One probe of a reference clock: local send/receive instants and the reference reading. */
export interface TimeSample {
  sentAt: number;
  receivedAt: number;
  referenceMs: number;
}

/**
 * Offset (reference − local) from the probe with the smallest round trip: its midpoint bounds
 * the error by half that round trip, the tightest bound any sample gives.
 */
export function bestOffset(samples: readonly TimeSample[]): number {
  let best: TimeSample | undefined;
  for (const sample of samples) {
    if (!best || sample.receivedAt - sample.sentAt < best.receivedAt - best.sentAt) best = sample;
  }
  if (!best) throw new Error("no time samples");
  return best.referenceMs - (best.sentAt + best.receivedAt) / 2;
}

/** A clock that reads `base` shifted by a changeable offset; timers run on `base` (durations agree). */
export function offsetClock(base: ServerClock, offset: () => number): ServerClock {
  return {
    now: () => base.now() + offset(),
    wallNow: () => base.wallNow(),
    setTimeout: (callback, delayMs) => base.setTimeout(callback, delayMs),
    setInterval: (callback, periodMs) => base.setInterval(callback, periodMs),
  };
}

const SAMPLES_PER_ROUND = 8;
const RESYNC_EVERY_MS = 30_000;

/**
 * Several sync processes must stamp one timeline with one clock. Each node measures its offset to
 * the Redis server's `TIME` (which every node can reach) and stamps everything with
 * `local + offset`: nodes then agree to within half a round trip to Redis, whatever their own
 * clocks say. On a Redis Cluster every node reads the clock of one master, the one owning the key
 * `sb:clock` (a script declaring it is routed there), never a random node's [RC4].
 */
export async function startRedisTime(target: RedisTarget, base: ServerClock): Promise<{ clock: ServerClock; offsetMs(): number; stop(): Promise<void> }> {
  const redis: RedisClient = redisClient(target);
  await redis.connect();
  const readTime = isCluster(target)
    ? async () => (await redis.eval("return redis.call('TIME')", 1, "sb:clock")) as [string, string]
    : () => redis.time();
  let offset = 0;

  async function measure(): Promise<void> {
    const samples: TimeSample[] = [];
    for (let index = 0; index < SAMPLES_PER_ROUND; index++) {
      const sentAt = base.now();
      const [seconds, micros] = await readTime();
      const receivedAt = base.now();
      samples.push({ sentAt, receivedAt, referenceMs: Number(seconds) * 1000 + Number(micros) / 1000 });
    }
    offset = bestOffset(samples);
  }

  await measure();
  const stopInterval = base.setInterval(() => void measure().catch(() => undefined), RESYNC_EVERY_MS);
  return {
    clock: offsetClock(base, () => offset),
    offsetMs: () => offset,
    async stop() {
      stopInterval();
      await redis.quit();
    },
  };
}
