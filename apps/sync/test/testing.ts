/**
 * Test harnesses shared outside this app: the protocol fuzz session (`fuzz/`), runnable over
 * in-memory sockets or a real WebSocket server, and the in-memory room harness (`tests/`).
 */
export { createHarness } from "./harness.js";
export { counters, LIMITS, sessionProperty } from "./hardening/fuzz-session.js";
export { wsTransport } from "./hardening/ws-transport.js";
export { redisClusterUnavailable, type RunningRedisCluster, startRedisCluster } from "./redis-cluster.js";
