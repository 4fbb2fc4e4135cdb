/**
 * Test harnesses shared outside this app (`fuzz/`): the protocol fuzz session, runnable over
 * in-memory sockets or a real WebSocket server.
 */
export { counters, LIMITS, sessionProperty } from "./hardening/fuzz-session.js";
export { wsTransport } from "./hardening/ws-transport.js";
