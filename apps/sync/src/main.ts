import { loadConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { startSyncServer } from "./server.js";

const config = loadConfig();
const logger = createLogger(config.logLevel);
const server = await startSyncServer(config, logger);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    void server.close().then(() => process.exit(0));
  });
}
