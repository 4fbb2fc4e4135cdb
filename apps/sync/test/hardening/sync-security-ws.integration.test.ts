import { CloseCode, PROTOCOL_VERSIONS } from "@sync-beats/protocol";
import { signTicket } from "@sync-beats/ticket";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningSyncServer, startSyncServer } from "../../src/server.js";
import { FakeClock } from "../fake-clock.js";
import { ticketServerConfig } from "../harness.js";
import { TestClient } from "../ws-client.js";

/** Transport-level attacks on a real server in ticket mode (as in production). */

const secret = "hardening-ws-secret-0123456789ab";
const room = { name: "Den", ownerId: "alice", listenersCanControl: false, version: 1 };
const config = ticketServerConfig(secret);

let server: RunningSyncServer | null = null;
const clients: TestClient[] = [];

async function start(clock = new FakeClock()) {
  server = await startSyncServer(config, pino({ level: "silent" }), clock);
  return { url: `ws://127.0.0.1:${server.port}`, clock };
}

async function connect(url: string) {
  const client = await TestClient.connect(url);
  clients.push(client);
  return client;
}

async function joinAsListener(url: string, clock: FakeClock) {
  const client = await connect(url);
  const ticket = signTicket({ userId: "bob", name: "Bob", roomCode: "ROOM42", room }, secret, clock.now());
  client.send({ type: "join", roomCode: "ROOM42", versions: PROTOCOL_VERSIONS, ticket });
  await client.first("joined");
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate();
  await server?.close();
  server = null;
});

describe("sync transport attacks (real server, tickets)", () => {
  it("[SEC-S16] binary frames get BINARY_NOT_SUPPORTED before and after join; the socket stays open", async () => {
    const { url, clock } = await start();
    const stranger = await connect(url);
    stranger.ws.send(Buffer.from([0x7b, 0x7d]));
    expect((await stranger.next("error")).code).toBe("BINARY_NOT_SUPPORTED");
    const listener = await joinAsListener(url, clock);
    listener.ws.send(new Uint8Array(1_000));
    expect((await listener.next("error")).code).toBe("BINARY_NOT_SUPPORTED");
    listener.send({ type: "time_ping", t0: 5 });
    expect((await listener.next("time_pong")).t0).toBe(5);
  });

  it("[SEC-S17] a frame past the hard cap (4 × the limit) closes the socket with 1009 and leaves the room", async () => {
    const { url, clock } = await start();
    const watcher = await joinAsListener(url, clock);
    const attacker = await connect(url);
    const ticket = signTicket({ userId: "mallory", name: "M", roomCode: "ROOM42", room }, secret, clock.now());
    attacker.send({ type: "join", roomCode: "ROOM42", versions: PROTOCOL_VERSIONS, ticket });
    await attacker.first("joined");
    attacker.send(JSON.stringify({ type: "time_ping", t0: 1, pad: "x".repeat(70_000) }));
    expect((await attacker.closed).code).toBe(1009);
    expect(await watcher.next("user_left")).toMatchObject({ userId: "mallory", totalClients: 1 });
  });

  it("[SEC-S18] a connection that never joins is closed with 4002 after the join timeout (slow-loris)", async () => {
    const { url, clock } = await start();
    const idle = await connect(url);
    clock.advance(9_999);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(idle.ws.readyState).toBe(idle.ws.OPEN);
    clock.advance(1);
    expect((await idle.closed).code).toBe(CloseCode.JOIN_TIMEOUT);
  });

  it("[SEC-S19] a forged ticket over a real socket: UNAUTHORIZED then close 4001 with a reason", async () => {
    const { url, clock } = await start();
    const client = await connect(url);
    const ticket = signTicket({ userId: "alice", name: "A", roomCode: "ROOM42", room }, "not-the-secret-0123456789abcdef", clock.now());
    client.send({ type: "join", roomCode: "ROOM42", versions: PROTOCOL_VERSIONS, ticket });
    expect((await client.next("error")).code).toBe("UNAUTHORIZED");
    expect(await client.closed).toEqual({ code: CloseCode.UNAUTHORIZED, reason: "ticket refused: bad-signature" });
    expect(server!.registry.size).toBe(0);
  });

  it("[SEC-S20] invalid UTF-8 in a text frame closes with 1007 (ws) and the server stays up", async () => {
    const { url, clock } = await start();
    const listener = await joinAsListener(url, clock);
    const raw = await connect(url);
    // A masked text frame carrying 0xff 0xfe, which is not UTF-8.
    const payload = Buffer.from([0xff, 0xfe]);
    const mask = Buffer.from([1, 2, 3, 4]);
    const masked = Buffer.from(payload.map((byte, index) => byte ^ mask[index % 4]!));
    (raw.ws as unknown as { _socket: { write(b: Buffer): void } })._socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]));
    expect((await raw.closed).code).toBe(1007);
    listener.send({ type: "time_ping", t0: 9 });
    expect((await listener.next("time_pong")).t0).toBe(9);
  });
});
