import { createServer } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { createApp } from "./app.js";
import { systemWallClock, type WallClock } from "./wall-clock.js";
import type { ApiConfig } from "./config.js";
import { openDatabase, type Database } from "./db/open.js";
import { createLogger } from "./logger.js";

export interface StartOptions {
  config: ApiConfig;
  /** An open database; when omitted, `config.database` is opened (and closed on `close`). */
  db?: Database;
  logger?: Logger;
  clock?: WallClock;
}

export interface RunningServer {
  url: string;
  port: number;
  db: Database;
  close(): Promise<void>;
}

const PRUNE_EVERY_MS = 60 * 60 * 1000;

/** Opens and migrates the database, seeds the demo tracks, and listens. */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemWallClock;
  const ownsDb = options.db === undefined;
  const db = options.db ?? (await openDatabase(config.database));
  const { app, sessionStore, library, dispose } = createApp({ db, config, logger, clock });
  if (config.seedDemoTracks) {
    const seeded = await library.seedDemoTracks({ benchmark: config.seedBenchmarkTracks });
    logger.info({ tracks: seeded.map((t) => t.id) }, "demo tracks ready");
  }

  const server = config.tls ? createTlsServer(config.tls, app) : createServer(app);
  await new Promise<void>((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolvePromise());
  });
  const port = (server.address() as AddressInfo).port;
  const prune = setInterval(() => {
    sessionStore.prune().catch((error: unknown) => logger.warn({ err: error }, "session prune failed"));
  }, PRUNE_EVERY_MS);
  prune.unref();
  logger.info({ port, db: db.dialect, tls: config.tls !== null }, "api listening");

  return {
    url: `${config.tls ? "https" : "http"}://127.0.0.1:${port}`,
    port,
    db,
    async close() {
      clearInterval(prune);
      dispose();
      await new Promise<void>((resolvePromise) => {
        server.close(() => resolvePromise());
        server.closeAllConnections();
      });
      if (ownsDb) await db.close();
    },
  };
}
