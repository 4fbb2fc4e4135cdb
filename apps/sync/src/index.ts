/**
 * The sync server's public entry, for the cross-app tests in `tests/` and the benchmarks: start
 * a server, read its config, and the backplanes (with the room transitions they commit) that
 * `bench/load` drives directly. Everything else in `src/` is internal.
 */
export type { Backplane, SharedRoomState, Transition } from "./backplane.js";
export { type Clock, type ServerClock, systemClock } from "./clock.js";
export { loadConfig, type SyncServerConfig } from "./config.js";
export { createMemoryBackplane } from "./memory-backplane.js";
export { createRedisBackplane } from "./redis-backplane.js";
export { admit, applyControl } from "./room-transitions.js";
export { type RunningSyncServer, startSyncServer } from "./server.js";
