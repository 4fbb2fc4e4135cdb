import type { Logger } from "pino";
import type { Backplane } from "./backplane.js";
import { type ServerClock, systemClock } from "./clock.js";
import type { SyncServerConfig } from "./config.js";
import { createMemoryBackplane } from "./memory-backplane.js";
import { createRedisBackplane } from "./redis-backplane.js";
import { createRedisChatStore } from "./redis-chat-store.js";
import type { RedisTarget } from "./redis-connection.js";
import { startSyncServer } from "./server.js";
import { startRedisTime } from "./shared-time.js";

/** One sync process: its clock (shared through Redis when rooms are), backplane and server. */
export async function startNode(config: SyncServerConfig, redis: RedisTarget | null, logger: Logger): Promise<{ readonly port: number; close(): Promise<void> }> {
  let clock: ServerClock = systemClock;
  let backplane: Backplane;
  let stopSharedTime = async () => {};
  if (redis) {
    const sharedTime = await startRedisTime(redis, systemClock);
    clock = sharedTime.clock;
    stopSharedTime = sharedTime.stop;
    backplane = await createRedisBackplane(redis, clock, logger);
    logger.info({ node: backplane.nodeId, offsetToRedisMs: sharedTime.offsetMs() }, "redis backplane connected");
  } else {
    backplane = createMemoryBackplane(clock);
    logger.info("rooms live in this one process (set REDIS_URL to share them between processes, which SYNC_WORKERS > 1 needs)");
  }
  // Chat history lives where the rooms do: on the same Redis or Cluster [CH4].
  const server = await startSyncServer(config, logger, clock, backplane, redis ? await createRedisChatStore(redis) : undefined);
  return {
    port: server.port,
    async close() {
      await server.close();
      await stopSharedTime();
    },
  };
}
