/** Real backplanes for the contract suite: the in-memory one on a fake clock, or Redis. */
import { randomBytes } from "node:crypto";
import pino from "pino";
import type { Backplane } from "../src/backplane.js";
import { systemClock } from "../src/clock.js";
import { createMemoryBackplane } from "../src/memory-backplane.js";
import { createRedisBackplane } from "../src/redis-backplane.js";
import type { RedisTarget } from "../src/redis-connection.js";
import { FakeClock } from "./fake-clock.js";

/** Set in CI (`.ci/run`); Redis suites skip with a printed reason when it is not. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL;

export const REDIS_SKIP_REASON = "TEST_REDIS_URL is not set: skipping the Redis suite";

export function announceRedisSkip(suite: string): void {
  if (!TEST_REDIS_URL) console.log(`[${suite}] ${REDIS_SKIP_REASON}`);
}

/**
 * Room codes and claim keys unique to this run: the Redis backplane has no key prefix of its own,
 * so parallel runs on one Redis stay apart by never sharing a name.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(5).toString("hex").toUpperCase()}`;
}

/** The backplanes of one test: nodes that share rooms, as sync processes of one deployment do. */
export interface Deployment {
  /** Another node. In memory every node is the process's one backplane; on Redis each is its own instance. */
  node(): Promise<Backplane>;
  /** Closes `node` and opens its replacement, as a process restart does. */
  restart(node: Backplane): Promise<Backplane>;
  /** Lets `ms` pass for expiries: the fake clock in memory, real time on Redis. */
  elapse(ms: number): Promise<void>;
  close(): Promise<void>;
}

export interface BackplaneTarget {
  /** State and presence outlive a backplane instance (Redis); in memory they live as long as the process. */
  durable: boolean;
  deploy(): Deployment;
}

export const memoryTarget: BackplaneTarget = {
  durable: false,
  deploy() {
    const clock = new FakeClock();
    let current = createMemoryBackplane(clock);
    return {
      node: async () => current,
      async restart(node) {
        await node.close();
        current = createMemoryBackplane(clock);
        return current;
      },
      elapse: async (ms) => clock.advance(ms),
      close: () => current.close(),
    };
  },
};

/** Redis nodes run on the system clock: their liveness refresh and conflict backoff need real timers. */
function redisDeployment(target: RedisTarget): Deployment {
  const open = new Set<Backplane>();
  const logger = pino({ level: "silent" });
  async function node(): Promise<Backplane> {
    const backplane = await createRedisBackplane(target, systemClock, logger);
    open.add(backplane);
    return backplane;
  }
  async function closeNode(backplane: Backplane): Promise<void> {
    if (open.delete(backplane)) await backplane.close();
  }
  return {
    node,
    async restart(backplane) {
      await closeNode(backplane);
      return node();
    },
    elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    close: async () => void (await Promise.all([...open].map(closeNode))),
  };
}

export const redisTarget: BackplaneTarget = {
  durable: true,
  deploy() {
    if (!TEST_REDIS_URL) throw new Error(REDIS_SKIP_REASON);
    return redisDeployment(TEST_REDIS_URL);
  },
};

/** A Redis Cluster whose seeds are known once it started (in the suite's `beforeAll`). */
export function redisClusterTarget(seeds: () => string[]): BackplaneTarget {
  return { durable: true, deploy: () => redisDeployment({ cluster: seeds() }) };
}
