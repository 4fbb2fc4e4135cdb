import { randomBytes } from "node:crypto";
import { CloseCode, PROTOCOL_VERSIONS } from "@sync-beats/protocol";
import { SERVER_REQUEST_HEADER, signServerRequest, signTicket } from "@sync-beats/ticket";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../src/clock.js";
import { createRedisBackplane } from "../src/redis-backplane.js";
import { type RunningSyncServer, startSyncServer } from "../src/server.js";
import { startRedisTime } from "../src/shared-time.js";
import { announceRedisSkip, TEST_REDIS_URL } from "./backplanes.js";
import { ticketServerConfig } from "./harness.js";
import { TestClient } from "./ws-client.js";

announceRedisSkip("chat across two sync processes over Redis");

const secret = "chat-redis-test-secret-0123456789";
const running: { server: RunningSyncServer; stop: () => Promise<void> }[] = [];
const clients: TestClient[] = [];

/** A ticket-mode sync process on the shared Redis (real sockets, port 0). */
async function startNode(): Promise<string> {
  const logger = pino({ level: "silent" });
  const time = await startRedisTime(TEST_REDIS_URL!, systemClock);
  const backplane = await createRedisBackplane(TEST_REDIS_URL!, time.clock, logger);
  const server = await startSyncServer({ ...ticketServerConfig(secret), redisUrl: TEST_REDIS_URL! }, logger, time.clock, backplane);
  running.push({ server, stop: async () => (await server.close(), await time.stop()) });
  return `ws://127.0.0.1:${server.port}`;
}

/** Connects and sends `join` with a fresh ticket for `userId` in a room `ownerId` owns. */
async function sendJoin(url: string, roomCode: string, userId: string, ownerId: string): Promise<TestClient> {
  const client = await TestClient.connect(url);
  clients.push(client);
  const room = { name: "Den", ownerId, listenersCanControl: false, version: 1 };
  client.send({ type: "join", roomCode, versions: PROTOCOL_VERSIONS, ticket: signTicket({ userId, name: userId.toUpperCase(), roomCode, room }, secret) });
  return client;
}

async function joinAs(url: string, roomCode: string, userId: string, ownerId: string): Promise<TestClient> {
  const client = await sendJoin(url, roomCode, userId, ownerId);
  await client.first("joined");
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const node of running.splice(0)) await node.stop();
});

describe.skipIf(!TEST_REDIS_URL)("chat across two sync processes over Redis", () => {
  it("[CH3][CH5] a message sent on node A reaches node B, and a joiner on B gets it in its history", async () => {
    const [a, b] = [await startNode(), await startNode()];
    const roomCode = `C${randomBytes(4).toString("hex").toUpperCase()}`;
    const owner = await joinAs(a, roomCode, "alice", "alice");
    const listener = await joinAs(b, roomCode, "bob", "alice");
    owner.send({ type: "chat_send", id: "c1", text: "hello from A" });
    const arrived = await listener.next("chat_message");
    expect(arrived).toMatchObject({ from: { userId: "alice", name: "ALICE" }, text: "hello from A" });
    expect(await owner.answer("c1")).toMatchObject({ type: "command_accepted", atServerMs: arrived.atServerMs });
    listener.send({ type: "react", id: "r1", emoji: "🎉" });
    expect(await owner.next("reaction")).toMatchObject({ from: { userId: "bob" }, emoji: "🎉" });

    const late = await joinAs(b, roomCode, "carol", "alice");
    expect((await late.first("chat_history")).messages).toEqual([{ messageId: arrived.messageId, from: arrived.from, text: arrived.text, atServerMs: arrived.atServerMs }]);

    owner.send({ type: "chat_remove", id: "x1", messageId: arrived.messageId });
    expect(await late.next("chat_removed")).toEqual({ type: "chat_removed", messageId: arrived.messageId });
    const later = await joinAs(a, roomCode, "dave", "alice");
    expect((await later.first("chat_history")).messages).toEqual([]);
  });

  it("[CH8][CH9] a removal reaching node A closes the member's socket on node B with 4011; refused on either node", async () => {
    const [a, b] = [await startNode(), await startNode()];
    const roomCode = `C${randomBytes(4).toString("hex").toUpperCase()}`;
    const owner = await joinAs(a, roomCode, "alice", "alice");
    const listener = await joinAs(b, roomCode, "bob", "alice");
    // The API stored the removal and tells node A (the one it reaches) over the signed internal channel.
    const path = `/internal/rooms/${roomCode}/remove`;
    const body = JSON.stringify({ byUserId: "alice", userId: "bob" });
    const headers = { [SERVER_REQUEST_HEADER]: signServerRequest(secret, { method: "POST", path, body }) };
    const reply = await fetch(`${a.replace("ws://", "http://")}${path}`, { method: "POST", headers, body });
    expect(reply.status).toBe(200);
    expect((await listener.closed).code).toBe(CloseCode.REMOVED);
    expect(await owner.next("user_left")).toMatchObject({ userId: "bob" });
    for (const url of [a, b]) {
      const again = await sendJoin(url, roomCode, "bob", "alice");
      expect(await again.next("error")).toMatchObject({ code: "REMOVED" });
      expect((await again.closed).code).toBe(CloseCode.REMOVED);
    }
  });
});
