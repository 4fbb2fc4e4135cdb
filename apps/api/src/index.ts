/**
 * The API's public entry: start a server over a config. Everything else in `src/` is internal;
 * test harnesses are under `@sync-beats/api/testing`.
 */
export { type ApiConfig, loadConfig } from "./config.js";
export { type RunningServer, type StartOptions, startServer } from "./server.js";
