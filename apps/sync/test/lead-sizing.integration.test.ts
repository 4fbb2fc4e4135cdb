import { once } from "node:events";
import { createServer, Socket, type AddressInfo, type Server } from "node:net";
import { PROTOCOL_VERSIONS } from "@sync-beats/protocol";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../src/clock.js";
import type { SyncServerConfig } from "../src/config.js";
import { type RunningSyncServer, startSyncServer } from "../src/server.js";
import { testRoomConfig, ticketServerConfig } from "./harness.js";
import { TestClient } from "./ws-client.js";

// Dev identity (first joiner hosts), lead capped at 1 s.
const config: SyncServerConfig = { ...ticketServerConfig("unused"), ticketSecret: null, room: { ...testRoomConfig, maxLeadMs: 1_000 } };

/**
 * A TCP relay that holds every chunk `oneWayMs` in each direction (order kept): a slow link.
 * `fromServer` records when each chunk from the server reached it, so a test can tell the link's
 * planned delay from the lateness of this process's timers on a busy machine.
 */
async function slowLink(targetPort: number, oneWayMs: number): Promise<{ relay: Server; fromServer: { at: number; text: string }[] }> {
  const fromServer: { at: number; text: string }[] = [];
  const relay = createServer((client) => {
    const upstream = new Socket();
    upstream.connect(targetPort, "127.0.0.1");
    const pipe = (from: Socket, to: Socket) => {
      from.on("data", (chunk) => {
        if (from === upstream) fromServer.push({ at: systemClock.now(), text: chunk.toString("latin1") });
        setTimeout(() => to.writable && to.write(chunk), oneWayMs);
      });
      from.on("close", () => setTimeout(() => to.destroy(), oneWayMs));
      from.on("error", () => to.destroy());
    };
    pipe(client, upstream);
    pipe(upstream, client);
  });
  relay.listen(0, "127.0.0.1");
  await once(relay, "listening");
  relays.push(relay);
  return { relay, fromServer };
}

let server: RunningSyncServer | null = null;
const relays: Server[] = [];
const clients: TestClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const relay of relays.splice(0)) relay.close();
  await server?.close();
  server = null;
});

async function joinVia(port: number, userId: string, timing?: object): Promise<TestClient> {
  const client = await TestClient.connect(`ws://127.0.0.1:${port}`);
  clients.push(client);
  client.send({ type: "join", roomCode: "LEAD42", versions: PROTOCOL_VERSIONS, userId, ...(timing ? { timing } : {}) });
  await client.first("joined");
  return client;
}

describe("lead sizing over real sockets", () => {
  it("[LS2][LS3] a member behind a 150 ms/150 ms link receives PLAY early enough for its declared margins", async () => {
    server = await startSyncServer(config, pino({ level: "silent" }));
    const host = await joinVia(server.port, "host");
    const { relay, fromServer } = await slowLink(server.port, 150);
    const timing = { schedulingMarginMs: 80, outputLatencyMs: 40 };
    const slow = await joinVia((relay.address() as AddressInfo).port, "slow", timing);
    await new Promise((resolve) => setTimeout(resolve, 400)); // the server's first ping/pong (≈ 300 ms) is in
    const sentAt = systemClock.now();
    host.send({ type: "PLAY", id: "p1", audioUrl: "/a.wav", duration: 300_000 });
    const { startServerMs } = await slow.next("PLAY", 5_000);
    // Lead = RTT (≥ 300) + 80 + 40 + slack: over a link that delivers in its 150 ms, the frame
    // arrives ≥ 120 ms before its instant (the relay's own timers, late on a busy machine, excepted).
    expect(startServerMs - sentAt).toBeGreaterThanOrEqual(300 + 80 + 40);
    const playLeftServer = fromServer.find((chunk) => chunk.text.includes('"type":"PLAY"'))!.at;
    expect(startServerMs - (playLeftServer + 150)).toBeGreaterThanOrEqual(timing.schedulingMarginMs + timing.outputLatencyMs);
  });

  it("[LS3] a member declaring the maximum on a slow link cannot push the lead past the cap", async () => {
    server = await startSyncServer(config, pino({ level: "silent" }));
    const host = await joinVia(server.port, "host");
    const { relay } = await slowLink(server.port, 300);
    await joinVia((relay.address() as AddressInfo).port, "greedy", { schedulingMarginMs: 500, outputLatencyMs: 500 });
    await new Promise((resolve) => setTimeout(resolve, 800));
    const sentAt = systemClock.now();
    host.send({ type: "PLAY", id: "p1", audioUrl: "/a.wav", duration: 300_000 });
    const play = await host.next("PLAY");
    const receivedBy = systemClock.now();
    // The server stamped now + lead somewhere between our send and our receipt of its broadcast.
    expect(play.startServerMs - receivedBy).toBeLessThanOrEqual(1_000);
    expect(play.startServerMs - sentAt).toBeGreaterThanOrEqual(1_000);
  });

  it("[LS1] an out-of-bounds declaration is refused INVALID_MESSAGE and the connection lives on", async () => {
    server = await startSyncServer(config, pino({ level: "silent" }));
    const client = await TestClient.connect(`ws://127.0.0.1:${server.port}`);
    clients.push(client);
    client.send({ type: "join", roomCode: "LEAD42", versions: PROTOCOL_VERSIONS, userId: "x", timing: { schedulingMarginMs: 5_000, outputLatencyMs: 0 } });
    expect((await client.next("error")).code).toBe("INVALID_MESSAGE");
    client.send({ type: "join", roomCode: "LEAD42", versions: PROTOCOL_VERSIONS, userId: "x" });
    expect((await client.first("joined")).type).toBe("joined");
  });
});
