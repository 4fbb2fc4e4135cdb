import cluster from "node:cluster";
import { loadConfig } from "./config.js";
import { loadDeployment } from "./deployment.js";
import { createLogger } from "./logger.js";
import { startNode } from "./node.js";
import { runPrimary } from "./workers.js";

let settings;
try {
  // The primary reads the config first: it creates the ticket secret file the workers then share.
  settings = { config: loadConfig(), deployment: loadDeployment() };
} catch (error) {
  console.error(`sync server not started: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const { config, deployment } = settings;
const logger = createLogger(config.logLevel);

if (deployment.workers > 1 && cluster.isPrimary) {
  runPrimary(deployment.workers, logger);
} else {
  const node = await startNode(config, deployment.redis, logger);
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, "shutting down");
      void node.close().then(() => logger.flush(() => process.exit(0)));
    });
  }
}
