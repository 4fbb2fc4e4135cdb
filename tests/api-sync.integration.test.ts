/**
 * The "done when" of issues 4 and 12, end to end over real HTTP and WebSocket: signup → login →
 * create a room → upload a track → ticket → join the sync server → play; the sync server refusing
 * forged, expired, other-room and replayed tickets; and REST changes (host transfer, listener
 * control, deletion) reaching live sockets through the API → sync channel with no page involved.
 * Both servers share one sync secret. Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is
 * set. (A cross-app test may import both apps; apps themselves never do.)
 */
import { randomBytes } from "node:crypto";
import { RoomResponse, TicketResponse, TrackResponse, CloseCode } from "@sync-beats/protocol";
import { signTicket } from "@sync-beats/ticket";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { encodeWav } from "@sync-beats/demo-tracks";
import { describeEachBackend, startTestApi, uniqueName, type Client, type TestApi } from "@sync-beats/api/testing";
import { loadConfig as loadSyncConfig, startSyncServer, type RunningSyncServer } from "@sync-beats/sync";
import { answerTo, type Frame, SyncClient } from "./sync-client.js";

/** Facts a forger would like the room to have: themselves as owner, everyone in control. */
function forgedFacts(ownerId: string) {
  return { name: "mine", ownerId, listenersCanControl: true, version: Number.MAX_SAFE_INTEGER };
}

describeEachBackend("API + sync server", (backend) => {
  let api: TestApi;
  let sync: RunningSyncServer;
  let syncUrl: string;
  let host: Client;
  let guest: Client;
  let code: string;

  let guestId: string;

  beforeAll(async () => {
    // The sync server first, so the API knows where its internal endpoints are.
    const secret = randomBytes(24).toString("base64url");
    const config = loadSyncConfig({ PORT: "0", HOST: "127.0.0.1", SYNC_SECRET: secret, LOG_LEVEL: "silent" });
    sync = await startSyncServer(config, pino({ level: "silent" }));
    syncUrl = `ws://127.0.0.1:${sync.port}/`;
    api = await startTestApi(backend, { seedDemoTracks: false, env: { SYNC_SECRET: secret, SYNC_INTERNAL_URL: `http://127.0.0.1:${sync.port}` } });
    host = api.client();
    guest = api.client();
    const hostName = uniqueName("host");
    await host.signup(hostName, "host password 123", "Host");
    guestId = (await guest.signup(uniqueName("guest"), undefined, "Guest")).id;
    // Log in again, as a returning user would.
    expect((await host.post("/auth/login", { username: hostName, password: "host password 123" })).status).toBe(200);
    code = RoomResponse.parse(await (await host.post("/api/rooms", { name: "Integration" })).json()).room.code;
  });
  afterAll(async () => {
    await sync?.close();
    await api?.dispose();
  });

  async function ticketFor(client: Client, roomCode = code) {
    const response = await client.post(`/api/rooms/${roomCode}/ticket`);
    expect(response.status).toBe(200);
    return TicketResponse.parse(await response.json());
  }

  it("[X1] upload → ticket → join → PLAY reaches a late joiner, who can fetch the audio by Range", async () => {
    const bytes = encodeWav({ sampleRate: 8000, channels: 1, format: "pcm16", frames: 16_000, sample: (i) => Math.sin(i / 5) / 2, title: "Two Seconds" });
    const data = new FormData();
    data.append("file", new Blob([new Uint8Array(bytes)], { type: "audio/wav" }), "two.wav");
    const uploaded = await host.call("POST", "/api/tracks", { body: data });
    expect(uploaded.status).toBe(201);
    const { track } = TrackResponse.parse(await uploaded.json());

    const hostSocket = await SyncClient.connect(syncUrl);
    hostSocket.join(code, (await ticketFor(host)).ticket);
    const joined = await hostSocket.frame("joined");
    expect(joined).toMatchObject({ roomCode: code, role: "host" });
    hostSocket.send({ type: "PLAY", id: "x1-play", audioUrl: track.audioUrl, duration: track.durationMs, trackId: track.id, title: track.title });
    await hostSocket.frame("PLAY");
    // The late joiner comes once the track plays (before that it would be told the pending PLAY).
    const { atServerMs } = (await hostSocket.frame("command_accepted")) as Frame & { atServerMs: number };
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, atServerMs - Date.now()) + 50));

    const guestSocket = await SyncClient.connect(syncUrl);
    guestSocket.join(code, (await ticketFor(guest)).ticket);
    expect(await guestSocket.frame("joined")).toMatchObject({ role: "listener" });
    const playSync = await guestSocket.frame("PLAY_SYNC");
    expect(playSync).toMatchObject({ audioUrl: track.audioUrl, trackId: track.id });

    const audio = await fetch(String(playSync.audioUrl), { headers: { range: "bytes=0-3" } });
    expect(audio.status).toBe(206);
    expect(Buffer.from(await audio.arrayBuffer()).toString("ascii")).toBe("RIFF");
    hostSocket.close();
    guestSocket.close();
  });

  it.each([
    ["forged (wrong secret)", () => signTicket({ userId: "mallory", name: "M", roomCode: code, room: forgedFacts("mallory") }, "not-the-shared-secret-at-all")],
    ["expired", () => signTicket({ userId: "late", name: "L", roomCode: code, room: forgedFacts("late"), exp: Date.now() - 1000 }, api.config.syncSecret)],
  ])("[X2] a %s ticket gets an UNAUTHORIZED error and close 4001", async (_label, makeTicket) => {
    const socket = await SyncClient.connect(syncUrl);
    socket.join(code, makeTicket());
    expect((await socket.closing()).code).toBe(CloseCode.UNAUTHORIZED);
    expect(socket.frames.find((f) => f.type === "error")?.code).toBe("UNAUTHORIZED");
  });

  it("[X3] a ticket for another room, or one used twice, is refused", async () => {
    const other = RoomResponse.parse(await (await guest.post("/api/rooms", { name: "Other" })).json()).room.code;
    const otherTicket = (await ticketFor(guest, other)).ticket;
    const wrongRoom = await SyncClient.connect(syncUrl);
    wrongRoom.join(code, otherTicket);
    expect((await wrongRoom.closing()).code).toBe(CloseCode.UNAUTHORIZED);

    const ticket = (await ticketFor(guest)).ticket;
    const first = await SyncClient.connect(syncUrl);
    first.join(code, ticket);
    await first.frame("joined");
    const replay = await SyncClient.connect(syncUrl);
    replay.join(code, ticket);
    expect((await replay.closing()).code).toBe(CloseCode.UNAUTHORIZED);
    first.close();
  });

  /** A socket joined to `roomCode` with a fresh ticket of `client`, and the frames it got. */
  async function joinLive(client: Client, roomCode: string): Promise<SyncClient> {
    const socket = await SyncClient.connect(syncUrl);
    socket.join(roomCode, (await ticketFor(client, roomCode)).ticket);
    await socket.frame("joined");
    return socket;
  }

  it("[X4][RA5] a REST host transfer reaches live sockets with no page: the old host is refused at once, the new host controls, a reconnect stays listener", async () => {
    const room = RoomResponse.parse(await (await host.post("/api/rooms", { name: "Handover" })).json()).room.code;
    const owner = await joinLive(host, room);
    const heir = await joinLive(guest, room);
    owner.send({ type: "PLAY", id: "x4-play", audioUrl: "/a.wav", duration: 600_000 });
    expect((await answerTo(owner, "x4-play")).type).toBe("command_accepted");

    const transfer = await host.post(`/api/rooms/${room}/host`, { userId: guestId });
    expect(transfer.status).toBe(200);
    expect(await transfer.json()).toEqual({ hostId: guestId });
    await heir.until(() => heir.frames.find((f) => f.type === "host_changed" && f.hostId === guestId), "host_changed");
    owner.send({ type: "SEEK", id: "x4-old-host", seekPositionMs: 1_000 });
    expect(await answerTo(owner, "x4-old-host")).toMatchObject({ type: "command_refused", code: "NOT_HOST" });
    heir.send({ type: "SEEK", id: "x4-new-host", seekPositionMs: 2_000 });
    expect((await answerTo(heir, "x4-new-host")).type).toBe("command_accepted");

    // The old host reconnects with a fresh ticket: still a listener, since the live room says so.
    owner.close();
    const back = await joinLive(host, room);
    expect(back.frames.find((f) => f.type === "joined")).toMatchObject({ role: "listener", hostId: guestId });
    // A listener asks the API to take hosting: the live room refuses, and the API says so.
    const grab = await api.client().post(`/api/rooms/${room}/host`, { userId: guestId });
    expect(grab.status).toBe(401);
    back.close();
    heir.close();
  });

  it("[X5][RA1][RA6] a REST listener-control toggle reaches live sockets within the call: listeners' commands are accepted, then refused again", async () => {
    const room = RoomResponse.parse(await (await host.post("/api/rooms", { name: "Open mic" })).json()).room.code;
    const owner = await joinLive(host, room);
    const listener = await joinLive(guest, room);
    owner.send({ type: "PLAY", id: "x5-play", audioUrl: "/a.wav", duration: 600_000 });
    await answerTo(owner, "x5-play");
    listener.send({ type: "PAUSE", id: "x5-before" });
    expect(await answerTo(listener, "x5-before")).toMatchObject({ type: "command_refused", code: "NOT_HOST" });

    expect((await host.patch(`/api/rooms/${room}`, { listenersCanControl: true })).status).toBe(200);
    // The push is answered before the PATCH is: no wait, no poll.
    expect(listener.frames.some((f) => f.type === "room_updated")).toBe(true);
    listener.send({ type: "PAUSE", id: "x5-allowed" });
    expect((await answerTo(listener, "x5-allowed")).type).toBe("command_accepted");

    expect((await host.patch(`/api/rooms/${room}`, { listenersCanControl: false, name: "Closed mic" })).status).toBe(200);
    await listener.until(() => listener.frames.find((f) => f.type === "room_updated" && (f.room as { name: string }).name === "Closed mic"), "rename");
    listener.send({ type: "RESUME", id: "x5-revoked" });
    expect(await answerTo(listener, "x5-revoked")).toMatchObject({ type: "command_refused", code: "NOT_HOST" });
    owner.close();
    listener.close();
  });

  it("[X6][RA7] deleting a room through REST closes its live sockets with ROOM_CLOSED; a ticket issued before cannot join after", async () => {
    const room = RoomResponse.parse(await (await host.post("/api/rooms", { name: "Doomed" })).json()).room.code;
    const owner = await joinLive(host, room);
    const early = (await ticketFor(guest, room)).ticket;
    expect((await host.delete(`/api/rooms/${room}`)).status).toBe(200);
    expect((await owner.closing()).code).toBe(CloseCode.ROOM_CLOSED);
    expect(owner.frames.some((f) => f.type === "room_closed")).toBe(true);
    const late = await SyncClient.connect(syncUrl);
    late.join(room, early);
    expect((await late.closing()).code).toBe(CloseCode.ROOM_CLOSED);
  });
});
