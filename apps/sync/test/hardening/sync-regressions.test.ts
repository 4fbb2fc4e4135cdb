import { PROTOCOL_VERSIONS } from "@sync-beats/protocol";
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { Backplane } from "../../src/backplane.js";
import { Connection } from "../../src/connection.js";
import { devIdentityVerifier } from "../../src/identity.js";
import { createMemoryBackplane } from "../../src/memory-backplane.js";
import { RoomRegistry } from "../../src/room-registry.js";
import { startSyncServer } from "../../src/server.js";
import { FakeClock } from "../fake-clock.js";
import { settle, testRoomConfig } from "../harness.js";
import { MemorySocket } from "../memory-socket.js";

const joinFrame = { type: "join", roomCode: "ROOM42", versions: PROTOCOL_VERSIONS };

/** A memory backplane whose `join` and `transact` fail while the test says Redis is down. */
function flakyBackplane(clock: FakeClock) {
  const memory = createMemoryBackplane(clock);
  const outage = { joins: 0, transactions: false };
  const backplane: Backplane = {
    ...memory,
    nodeId: memory.nodeId,
    isHealthy: () => !outage.transactions,
    join: (code, entry) => (outage.joins-- > 0 ? Promise.reject(new Error("Connection is closed.")) : memory.join(code, entry)),
    transact: (code, transition) =>
      outage.transactions ? Promise.reject(new Error("Connection is closed.")) : memory.transact(code, transition),
  };
  return { backplane, outage };
}

function createNode() {
  const clock = new FakeClock();
  const { backplane, outage } = flakyBackplane(clock);
  const logger = pino({ level: "silent" });
  const registry = new RoomRegistry(clock, testRoomConfig, logger, backplane);
  const connect = () => {
    const socket = new MemorySocket();
    const connection = new Connection(socket, {
      registry,
      verifyIdentity: devIdentityVerifier,
      clock,
      logger,
      limits: { maxFrameBytes: 16_384, messagesPerSecond: 40, messageBurst: 80 },
    });
    const send = async (message: object) => {
      connection.onText(JSON.stringify(message), clock.now());
      await settle();
    };
    return { socket, send };
  };
  return { registry, outage, connect, backplane };
}

describe("sync regressions", () => {
  it("[SEC-S23][B11] a join that fails in the backplane leaves no ghost member and can be retried", async () => {
    const { registry, outage, connect } = createNode();
    await connect().send({ ...joinFrame, userId: "alice" });
    outage.joins = 1;
    const unlucky = connect();
    await unlucky.send({ ...joinFrame, userId: "bob" });
    expect(unlucky.socket.last("error").code).toBe("UNAVAILABLE");
    expect(registry.get("ROOM42")!.size).toBe(1);
    await unlucky.send({ ...joinFrame, userId: "bob" });
    expect(unlucky.socket.last("joined").userId).toBe("bob");
    expect(registry.get("ROOM42")!.size).toBe(2);
  });

  it("[SEC-S24][B10] while the backplane is down, commands are refused with UNAVAILABLE and work again after", async () => {
    const { outage, connect } = createNode();
    const host = connect();
    await host.send({ ...joinFrame, userId: "alice" });
    outage.transactions = true;
    await host.send({ type: "PLAY", id: "try-1", audioUrl: "/a.wav", duration: 60_000 });
    expect(host.socket.last("command_refused")).toEqual({ type: "command_refused", id: "try-1", code: "UNAVAILABLE", message: expect.any(String) });
    expect(host.socket.ofType("PLAY")).toHaveLength(0);
    outage.transactions = false;
    await host.send({ type: "PLAY", id: "try-2", audioUrl: "/a.wav", duration: 60_000 });
    expect(host.socket.last("PLAY").audioUrl).toBe("/a.wav");
    expect(host.socket.last("command_accepted").id).toBe("try-2");
  });

  it("[SEC-S25][B10] /healthz answers 503 while the backplane is unreachable", async () => {
    const clock = new FakeClock();
    const { backplane, outage } = flakyBackplane(clock);
    const server = await startSyncServer(
      {
        port: 0,
        host: "127.0.0.1",
        room: testRoomConfig,
        limits: { maxFrameBytes: 16_384, messagesPerSecond: 40, messageBurst: 80 },
        heartbeatMs: 15_000,
        redisUrl: null,
        ticketSecret: null,
        logLevel: "silent",
      },
      pino({ level: "silent" }),
      clock,
      backplane,
    );
    try {
      const url = `http://127.0.0.1:${server.port}/healthz`;
      expect((await fetch(url)).status).toBe(200);
      outage.transactions = true;
      const down = await fetch(url);
      expect(down.status).toBe(503);
      expect((await down.json()).status).toBe("backplane-unavailable");
    } finally {
      await server.close();
    }
  });
});
