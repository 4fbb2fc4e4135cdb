import { PROTOCOL_VERSIONS } from "@sync-beats/protocol";
import pino from "pino";
import type { SyncServerConfig } from "../src/config.js";
import { Connection, type ConnectionDeps } from "../src/connection.js";
import { devIdentityVerifier, type IdentityVerifier } from "../src/identity.js";
import { createMemoryBackplane } from "../src/memory-backplane.js";
import { type RegistryConfig, RoomRegistry } from "../src/room-registry.js";
import { FakeClock } from "./fake-clock.js";
import { MemorySocket } from "./memory-socket.js";

export const testRoomConfig: RegistryConfig = {
  leadMs: 200,
  maxLeadMs: 1_500,
  resyncThresholdMs: 500,
  hostGraceMs: 10_000,
  emptyRoomGraceMs: 60_000,
  firstJoinerHosts: true,
};

/** What the tests' connections are limited to (the product defaults are larger). */
export const testLimits = { maxFrameBytes: 16 * 1024, messagesPerSecond: 40, messageBurst: 80 };

/** A real server for integration tests: port 0, dev identity, in memory unless `overrides` say otherwise. */
export function testServerConfig(overrides: Partial<SyncServerConfig> = {}): SyncServerConfig {
  return {
    port: 0,
    host: "127.0.0.1",
    room: testRoomConfig,
    limits: testLimits,
    heartbeatMs: 15_000,
    redisUrl: null,
    ticketSecret: null,
    logLevel: "silent",
    ...overrides,
  };
}

/** A real server in ticket mode for integration tests (port 0, no Redis): only the ticket's owner hosts. */
export function ticketServerConfig(ticketSecret: string): SyncServerConfig {
  return testServerConfig({ room: { ...testRoomConfig, firstJoinerHosts: false }, ticketSecret });
}

/** Lets every pending promise chain of the in-memory backplane run to completion. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A registry on a fake clock, and a way to open in-memory client connections to it. `backplane`
 * is exposed so a test can commit what the API would push (facts, host transfer, close).
 */
export function createHarness(
  options: { verifyIdentity?: IdentityVerifier; config?: Partial<RegistryConfig>; resolveTrack?: ConnectionDeps["resolveTrack"] } = {},
) {
  const clock = new FakeClock();
  const logger = pino({ level: "silent" });
  const backplane = createMemoryBackplane(clock);
  const registry = new RoomRegistry(clock, { ...testRoomConfig, ...options.config }, logger, backplane);
  const verifyIdentity = options.verifyIdentity ?? devIdentityVerifier;

  function connect() {
    const socket = new MemorySocket();
    const connection = new Connection(socket, {
      registry,
      verifyIdentity,
      clock,
      logger,
      limits: testLimits,
      resolveTrack: options.resolveTrack,
    });
    const send = async (message: object | string) => {
      connection.onText(typeof message === "string" ? message : JSON.stringify(message), clock.now());
      await settle();
    };
    const close = async () => {
      connection.onClose();
      await settle();
    };
    return { socket, connection, send, close };
  }

  async function joinAs(userId: string, roomCode = "ROOM42") {
    const client = connect();
    await client.send({ type: "join", roomCode, versions: PROTOCOL_VERSIONS, userId });
    return client;
  }

  /** Moves the fake clock, then lets the work its timers started finish. */
  async function advance(ms: number) {
    clock.advance(ms);
    await settle();
  }

  return { clock, registry, backplane, connect, joinAs, advance };
}
