import { loadConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { startServer } from "./server.js";

const config = loadConfig();
const logger = createLogger(config.logLevel);
const server = await startServer({ config, logger });
logger.info({ url: `http://localhost:${server.port}`, dataDir: config.dataDir, webOrigins: config.webOrigins }, "sync beats api ready");

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
