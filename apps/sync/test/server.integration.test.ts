import { PROTOCOL_VERSIONS } from "@sync-beats/protocol";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../src/clock.js";
import type { SyncServerConfig } from "../src/config.js";
import { type RunningSyncServer, startSyncServer } from "../src/server.js";
import { testServerConfig } from "./harness.js";
import { TestClient } from "./ws-client.js";

const config = testServerConfig();

let server: RunningSyncServer | null = null;
const clients: TestClient[] = [];

async function start(overrides: Partial<SyncServerConfig> = {}) {
  server = await startSyncServer({ ...config, ...overrides }, pino({ level: "silent" }));
  return `ws://127.0.0.1:${server.port}`;
}

async function join(url: string, userId: string, roomCode = "ABC234") {
  const client = await TestClient.join(url, userId, roomCode);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.close();
  server = null;
});

describe("sync server over real WebSockets", () => {
  it("[SS30] follows the spec's complete two-user example", async () => {
    const url = await start();
    const host = await join(url, "userA");
    expect(host.received[0]).toMatchObject({ type: "joined", role: "host", hostId: "userA", protocolVersion: PROTOCOL_VERSIONS.max });
    const guest = await join(url, "userB");
    expect((await host.first("user_joined")).totalClients).toBe(2);

    const track = { audioUrl: "/api/tracks/1/audio", duration: 180_000, title: "One" };
    const sentAt = systemClock.now();
    host.send({ type: "PLAY", id: "play-1", ...track });
    const [hostPlay, guestPlay, accepted] = await Promise.all([host.next("PLAY"), guest.next("PLAY"), host.next("command_accepted")]);
    expect(hostPlay).toEqual(guestPlay);
    expect(hostPlay.startServerMs).toBeGreaterThan(sentAt);
    expect(accepted).toEqual({ type: "command_accepted", id: "play-1", atServerMs: hostPlay.startServerMs });

    const t0 = 42.25;
    host.send({ type: "time_ping", t0 });
    const pong = await host.next("time_pong");
    expect(pong.t0).toBe(t0);
    expect(pong.t2).toBeGreaterThanOrEqual(pong.t1);
    // Epoch milliseconds (from the monotonic clock: a VM's wall clock may step by seconds meanwhile).
    expect(Math.abs(pong.serverTime - Date.now())).toBeLessThan(3_600_000);

    host.send({ type: "sync_check", clientPosMs: 0, clientTimeMs: hostPlay.startServerMs });
    host.send({ type: "PAUSE", id: "pause-1" });
    const pause = await guest.next("PAUSE");
    host.send({ type: "SEEK", id: "seek-1", seekPositionMs: 5_000 });
    expect(await guest.next("SEEK")).toMatchObject({ seekPositionMs: 5_000, isPaused: true });
    host.send({ type: "RESUME", id: "resume-1" });
    const resume = await guest.next("RESUME");
    expect(resume.positionMs).toBe(5_000);
    expect(resume.startServerMs).toBeGreaterThanOrEqual(pause.atServerMs);

    const next = { audioUrl: "/api/tracks/2/audio", duration: 90_000 };
    host.send({ type: "TRACK_CHANGE", id: "change-1", trackData: next });
    expect((await guest.next("TRACK_CHANGE")).trackData).toEqual(next);
    expect(host.received.filter((m) => m.type === "RESYNC")).toHaveLength(0);
    expect(host.received.filter((m) => m.type === "error" || m.type === "command_refused")).toHaveLength(0);
    const answers = await Promise.all(["pause-1", "seek-1", "resume-1", "change-1"].map((id) => host.answer(id)));
    expect(answers.map((answer) => answer.type)).toEqual(Array(4).fill("command_accepted"));
  });

  it("[SS31] a late joiner starts at the right place", async () => {
    const url = await start();
    const host = await join(url, "userA");
    host.send({ type: "PLAY", id: "p", audioUrl: "/x.wav", duration: 60_000 });
    const play = await host.next("PLAY");
    await new Promise((resolve) => setTimeout(resolve, 400));
    const late = await join(url, "userC");
    const sync = await late.first("PLAY_SYNC");
    expect(sync.positionMs).toBeCloseTo(sync.atServerMs - play.startServerMs, 6);
    expect(sync.positionMs).toBeGreaterThan(0);
  });

  it("[SS32] binary and oversized frames get typed errors; past the hard cap the socket is closed", async () => {
    const url = await start();
    const client = await join(url, "userA");
    client.ws.send(Buffer.from([1, 2, 3]));
    expect((await client.next("error")).code).toBe("BINARY_NOT_SUPPORTED");
    client.send(JSON.stringify({ type: "time_ping", t0: 1, pad: "x".repeat(20_000) }));
    expect((await client.next("error")).code).toBe("FRAME_TOO_LARGE");
    client.send({ type: "time_ping", t0: 7 });
    expect((await client.next("time_pong")).t0).toBe(7);
    client.send("x".repeat(100_000));
    expect((await client.closed).code).toBe(1009);
  });

  it("[SS33] the heartbeat drops a socket that stops answering pings", async () => {
    const url = await start({ heartbeatMs: 100 });
    const watcher = await join(url, "watcher");
    const silent = await TestClient.connect(url);
    silent.send({ type: "join", roomCode: "ABC234", versions: PROTOCOL_VERSIONS, userId: "silent" });
    await silent.first("joined");
    // Stop answering pings: ws answers automatically, so pause the underlying socket's reads.
    (silent.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const left = await watcher.next("user_left");
    expect(left).toEqual({ type: "user_left", userId: "silent", totalClients: 1 });
  });

  it("[SC7] pings written whole reach the client among its frames; its pongs keep it in the room", async () => {
    const url = await start({ heartbeatMs: 100 });
    const client = await join(url, "pinged");
    let pings = 0;
    const threePings = new Promise<void>((done) => client.ws.on("ping", () => ++pings === 3 && done()));
    await threePings;
    client.send({ type: "time_ping", t0: 3 });
    expect((await client.next("time_pong")).t0).toBe(3);
    const health = await (await fetch(`${url.replace("ws:", "http:")}/healthz`)).json();
    expect(health).toMatchObject({ connections: 1 });
  });

  it("[SS34] /healthz reports rooms and connections, /metrics counts messages; other paths 404", async () => {
    const url = await start();
    await join(url, "userA");
    const base = url.replace("ws:", "http:");
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", node: "local", rooms: 1, connections: 1 });
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^sync_messages_in_total\{type="join"\} 1$/m);
    expect(metrics).toMatch(/^sync_connections 1$/m);
    expect(metrics).toMatch(/^sync_nodejs_eventloop_lag_seconds /m);
  });

  it("[SS35] rooms are isolated", async () => {
    const url = await start();
    const a = await join(url, "a", "ROOMAA");
    const b = await join(url, "b", "ROOMBB");
    a.send({ type: "PLAY", id: "p", audioUrl: "/x.wav", duration: 60_000 });
    await a.next("PLAY");
    b.send({ type: "time_ping", t0: 1 });
    await b.next("time_pong");
    expect(b.received.map((m) => m.type)).toEqual(["joined", "chat_history", "time_pong"]);
  });
});
