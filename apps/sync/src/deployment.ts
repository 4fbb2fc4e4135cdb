import { availableParallelism } from "node:os";
import { z } from "zod";
import type { RedisTarget } from "./redis-connection.js";

/** How this deployment runs: where rooms are shared, and how many sync processes share the port. */
export interface Deployment {
  /** One Redis (`REDIS_URL`), a Redis Cluster (`REDIS_CLUSTER_URLS`), or null: rooms live in this process. */
  redis: RedisTarget | null;
  /** Sync processes on the one port (`SYNC_WORKERS`; `auto` is the machine's cores). */
  workers: number;
}

const Env = z.object({
  REDIS_URL: z.string().url().optional(),
  REDIS_CLUSTER_URLS: z
    .string()
    .transform((value) => value.split(",").map((seed) => seed.trim()).filter(Boolean))
    .pipe(z.array(z.string().url()).min(1))
    .optional(),
  SYNC_WORKERS: z.union([z.literal("auto"), z.coerce.number().int().min(1)]).default(1),
});

/** Reads the deployment from the environment; throws with the reason when it cannot work [SC4]. */
export function loadDeployment(env: NodeJS.ProcessEnv = process.env, cores = availableParallelism()): Deployment {
  const parsed = Env.parse(env);
  if (parsed.REDIS_URL && parsed.REDIS_CLUSTER_URLS) throw new Error("set REDIS_URL (one Redis) or REDIS_CLUSTER_URLS (a Redis Cluster), not both");
  const redis: RedisTarget | null = parsed.REDIS_CLUSTER_URLS ? { cluster: parsed.REDIS_CLUSTER_URLS } : (parsed.REDIS_URL ?? null);
  const workers = parsed.SYNC_WORKERS === "auto" ? cores : parsed.SYNC_WORKERS;
  if (workers > 1 && !redis) {
    throw new Error(
      `SYNC_WORKERS=${parsed.SYNC_WORKERS} (${workers} processes) needs REDIS_URL or REDIS_CLUSTER_URLS: each worker is a process ` +
        "with its own memory and the clients of one room land on different workers, so rooms must be shared through Redis",
    );
  }
  return { redis, workers };
}
