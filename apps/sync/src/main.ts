import type { Backplane } from "./backplane.js";
import { type ServerClock, systemClock } from "./clock.js";
import { loadConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { createMemoryBackplane } from "./memory-backplane.js";
import { createRedisBackplane } from "./redis-backplane.js";
import { startSyncServer } from "./server.js";
import { startRedisTime } from "./shared-time.js";

const config = loadConfig();
const logger = createLogger(config.logLevel);

let clock: ServerClock = systemClock;
let backplane: Backplane;
let stopSharedTime = async () => {};
if (config.redisUrl) {
  const sharedTime = await startRedisTime(config.redisUrl, systemClock);
  clock = sharedTime.clock;
  stopSharedTime = sharedTime.stop;
  backplane = await createRedisBackplane(config.redisUrl, clock, logger);
  logger.info({ node: backplane.nodeId, offsetToRedisMs: sharedTime.offsetMs() }, "redis backplane connected");
} else {
  backplane = createMemoryBackplane(clock);
}
const server = await startSyncServer(config, logger, clock, backplane);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    void server
      .close()
      .then(stopSharedTime)
      .then(() => process.exit(0));
  });
}
