/**
 * Test harnesses shared outside this app: the protocol fuzz session (`fuzz/`), runnable over
 * in-memory sockets or a real WebSocket server, and the in-memory room harness (`tests/`).
 */
export { createHarness } from "./harness.js";
export { counters, LIMITS, sessionProperty } from "./hardening/fuzz-session.js";
export { wsTransport } from "./hardening/ws-transport.js";
export { redisClusterUnavailable, type RunningRedisCluster, startRedisCluster } from "./redis-cluster.js";
// The in-process hot path (a connection, the room registry and a fake clock, no sockets), for
// `npm run bench:hot-path` (bench/load/hot-path.ts).
export type { ClientSocket, OutboundFrame } from "../src/client-socket.js";
export { Connection } from "../src/connection.js";
export { devIdentityVerifier } from "../src/identity.js";
export { RoomRegistry } from "../src/room-registry.js";
export { FakeClock } from "./fake-clock.js";
