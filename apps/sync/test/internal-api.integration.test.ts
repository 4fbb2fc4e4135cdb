import { CloseCode, PROTOCOL_VERSIONS, type VersionedRoomFacts } from "@sync-beats/protocol";
import { SERVER_REQUEST_HEADER, signServerRequest, signTicket } from "@sync-beats/ticket";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningSyncServer, startSyncServer } from "../src/server.js";
import { ticketServerConfig } from "./harness.js";
import { TestClient } from "./ws-client.js";

/** The API → sync server channel against a real server in ticket mode, signed as the API signs. */

const secret = "internal-api-secret-0123456789abcdef";
const ROOM = "ROOM42";
const facts: VersionedRoomFacts = { name: "Den", ownerId: "alice", listenersCanControl: false, version: 1 };
const track = { audioUrl: "/api/tracks/1/audio", duration: 120_000 };
const config = ticketServerConfig(secret);

let server: RunningSyncServer | null = null;
const clients: TestClient[] = [];

async function start() {
  server = await startSyncServer(config, pino({ level: "silent" }));
  return { ws: `ws://127.0.0.1:${server.port}`, http: `http://127.0.0.1:${server.port}` };
}

async function joinWith(url: string, userId: string, room: VersionedRoomFacts = facts): Promise<TestClient> {
  const client = await TestClient.connect(url);
  clients.push(client);
  client.send({ type: "join", roomCode: ROOM, versions: PROTOCOL_VERSIONS, ticket: signTicket({ userId, name: userId, roomCode: ROOM, room }, secret) });
  await Promise.race([client.first("joined"), client.first("error")]);
  return client;
}

/** One request of the internal API; `signWith` null sends it unsigned. */
async function internal(base: string, method: string, path: string, body: unknown, signWith: string | null = secret) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signWith !== null) headers[SERVER_REQUEST_HEADER] = signServerRequest(signWith, { method, path, body: text });
  const response = await fetch(`${base}${path}`, { method, headers, body: text });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate();
  await server?.close();
  server = null;
});

describe("internal API (real server)", () => {
  it("[IA1] unsigned, badly signed and replayed-for-another-body requests are refused with 401 and change nothing", async () => {
    const { ws, http } = await start();
    const host = await joinWith(ws, "alice");
    const path = `/internal/rooms/${ROOM}/host`;
    const body = { byUserId: "alice", toUserId: "alice" };
    expect((await internal(http, "POST", path, body, null)).status).toBe(401);
    expect((await internal(http, "POST", path, body, "not-the-sync-secret-0123456789")).status).toBe(401);
    const signature = signServerRequest(secret, { method: "POST", path, body: JSON.stringify(body) });
    const swapped = await fetch(`${http}${path}`, {
      method: "POST",
      headers: { [SERVER_REQUEST_HEADER]: signature },
      body: JSON.stringify({ byUserId: "alice", toUserId: "mallory" }),
    });
    expect(swapped.status).toBe(401);
    const closing = await internal(http, "POST", `/internal/rooms/${ROOM}/close`, { version: 5 }, null);
    expect(closing).toEqual({ status: 401, body: { error: { code: "UNAUTHORIZED", message: expect.any(String) } } });
    host.send({ type: "time_ping", t0: 1 });
    await host.next("time_pong");
    expect(host.received.map((m) => m.type)).toEqual(["joined", "chat_history", "time_pong"]);
  });

  it("[IA1] a signed request with a bad body is 400; a wrong method 405; an unknown route 404", async () => {
    const { ws, http } = await start();
    await joinWith(ws, "alice");
    for (const [method, action, body] of [
      ["PUT", "facts", { name: "x" }],
      ["PUT", "facts", "{not json"],
      ["POST", "host", { byUserId: "alice" }],
      ["POST", "close", { version: -1 }],
      ["POST", "remove", { byUserId: "alice" }],
    ] as const) {
      const reply = await internal(http, method, `/internal/rooms/${ROOM}/${action}`, body);
      expect(reply).toEqual({ status: 400, body: { error: { code: "INVALID_MESSAGE", message: expect.any(String) } } });
    }
    expect((await internal(http, "POST", `/internal/rooms/${ROOM}/facts`, facts)).status).toBe(405);
    expect((await internal(http, "POST", `/internal/rooms/${ROOM}/explode`, {})).status).toBe(404);
    expect((await internal(http, "POST", "/internal/rooms/a%20b/close", { version: 1 })).status).toBe(404);
  });

  it("[IA2] a host transfer takes effect at once: the old host's next SEEK is refused NOT_HOST, the new host's accepted", async () => {
    const { ws, http } = await start();
    const alice = await joinWith(ws, "alice");
    const bob = await joinWith(ws, "bob");
    alice.send({ type: "PLAY", id: "play", ...track });
    await alice.answer("play");
    const path = `/internal/rooms/${ROOM}/host`;
    expect(await internal(http, "POST", path, { byUserId: "bob", toUserId: "bob" })).toMatchObject({ status: 403, body: { error: { code: "NOT_HOST" } } });
    expect(await internal(http, "POST", path, { byUserId: "alice", toUserId: "zed" })).toMatchObject({ status: 409, body: { error: { code: "NOT_PARTICIPANT" } } });
    expect(await internal(http, "POST", path, { byUserId: "alice", toUserId: "bob" })).toEqual({ status: 200, body: { hostId: "bob" } });
    expect(await alice.first("host_changed")).toEqual({ type: "host_changed", hostId: "bob" });
    expect(await bob.first("host_changed")).toEqual({ type: "host_changed", hostId: "bob" });
    alice.send({ type: "SEEK", id: "old-host", seekPositionMs: 1_000 });
    expect(await alice.answer("old-host")).toMatchObject({ type: "command_refused", code: "NOT_HOST" });
    bob.send({ type: "SEEK", id: "new-host", seekPositionMs: 2_000 });
    const accepted = await bob.answer("new-host");
    expect(accepted.type).toBe("command_accepted");
    expect((await alice.first("SEEK")).seekPositionMs).toBe(2_000);
  });

  it("[IA2] a facts push reaches every socket as room_updated and listener control takes effect; an older push changes nothing", async () => {
    const { ws, http } = await start();
    const alice = await joinWith(ws, "alice");
    const carol = await joinWith(ws, "carol");
    alice.send({ type: "PLAY", id: "play", ...track });
    await alice.answer("play");
    carol.send({ type: "PAUSE", id: "before" });
    expect(await carol.answer("before")).toMatchObject({ type: "command_refused", code: "NOT_HOST" });

    const path = `/internal/rooms/${ROOM}/facts`;
    const pushed = { ...facts, name: "Renamed", listenersCanControl: true, version: 2 };
    expect(await internal(http, "PUT", path, pushed)).toEqual({ status: 200, body: { hostId: "alice" } });
    const room = { name: "Renamed", ownerId: "alice", listenersCanControl: true };
    expect(await alice.first("room_updated")).toEqual({ type: "room_updated", room });
    expect(await carol.first("room_updated")).toEqual({ type: "room_updated", room });
    carol.send({ type: "PAUSE", id: "after" });
    expect((await carol.answer("after")).type).toBe("command_accepted");

    expect((await internal(http, "PUT", path, { ...facts, version: 1 })).status).toBe(200);
    carol.send({ type: "RESUME", id: "still" });
    expect((await carol.answer("still")).type).toBe("command_accepted");
    expect(carol.received.filter((m) => m.type === "room_updated")).toHaveLength(1);
  });

  it("[IA2][RA7] a close sends room_closed then code 4004 to every socket; a join with the old facts version is refused", async () => {
    const { ws, http } = await start();
    const alice = await joinWith(ws, "alice");
    const bob = await joinWith(ws, "bob");
    expect(await internal(http, "POST", `/internal/rooms/${ROOM}/close`, { version: 1 })).toEqual({ status: 200, body: { hostId: null } });
    for (const client of [alice, bob]) {
      expect(await client.first("room_closed")).toEqual({ type: "room_closed", reason: expect.any(String) });
      expect((await client.closed).code).toBe(CloseCode.ROOM_CLOSED);
    }
    const late = await joinWith(ws, "bob");
    expect(late.received).toEqual([{ type: "error", code: "ROOM_CLOSED", message: expect.any(String) }]);
    expect((await late.closed).code).toBe(CloseCode.ROOM_CLOSED);
    const reopened = await joinWith(ws, "alice", { ...facts, version: 2 });
    expect(reopened.received[0]).toMatchObject({ type: "joined", role: "host" });
  });

  it("[IA2][CH8] a removal the API stored closes the person's sockets with 4011 (the owner's only); their join is refused while the room lives", async () => {
    const { ws, http } = await start();
    const alice = await joinWith(ws, "alice");
    const bob = await joinWith(ws, "bob");
    const path = `/internal/rooms/${ROOM}/remove`;
    expect(await internal(http, "POST", path, { byUserId: "bob", userId: "alice" })).toMatchObject({ status: 403, body: { error: { code: "NOT_OWNER" } } });
    expect(await internal(http, "POST", path, { byUserId: "alice", userId: "alice" })).toMatchObject({ status: 400, body: { error: { code: "INVALID_MESSAGE" } } });
    expect(await internal(http, "POST", path, { byUserId: "alice", userId: "bob" })).toEqual({ status: 200, body: { hostId: "alice" } });
    expect((await bob.closed).code).toBe(CloseCode.REMOVED);
    expect(await alice.first("user_left")).toMatchObject({ userId: "bob" });
    const again = await joinWith(ws, "bob");
    expect(again.received).toEqual([{ type: "error", code: "REMOVED", message: expect.any(String) }]);
    // Nobody left in another room: nothing to close, nothing stored (the API keeps the fact).
    expect(await internal(http, "POST", "/internal/rooms/EMPTY1/remove", { byUserId: "alice", userId: "bob" })).toEqual({ status: 200, body: { hostId: null } });
  });
});
