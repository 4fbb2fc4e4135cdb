/**
 * Guests (issue 18) end to end over real HTTP and WebSocket: a person with no account joins
 * through the room's invite link, takes a ticket, and is in the live room as a guest; the sync
 * server refuses its commands without the room's grant, exactly as a listener's [G4]; a rotated
 * link lets nobody new in [G2]. SQLite, and PostgreSQL when TEST_DATABASE_URL is set.
 */
import { randomBytes } from "node:crypto";
import { GuestJoinResponse, RoomInviteResponse, RoomResponse, TicketResponse } from "@sync-beats/protocol";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachBackend, startTestApi, uniqueName, type Client, type TestApi } from "@sync-beats/api/testing";
import { loadConfig as loadSyncConfig, startSyncServer, type RunningSyncServer } from "@sync-beats/sync";
import { answerTo, SyncClient } from "./sync-client.js";

describeEachBackend("guests in the live room", (backend) => {
  let api: TestApi;
  let sync: RunningSyncServer;
  let syncUrl: string;
  let owner: Client;
  let code: string;

  beforeAll(async () => {
    const secret = randomBytes(24).toString("base64url");
    sync = await startSyncServer(loadSyncConfig({ PORT: "0", HOST: "127.0.0.1", SYNC_SECRET: secret, LOG_LEVEL: "silent" }), pino({ level: "silent" }));
    syncUrl = `ws://127.0.0.1:${sync.port}/`;
    api = await startTestApi(backend, { seedDemoTracks: false, env: { SYNC_SECRET: secret, SYNC_INTERNAL_URL: `http://127.0.0.1:${sync.port}` } });
    owner = api.client();
    await owner.signup(uniqueName("owner"), undefined, "Olive");
    code = RoomResponse.parse(await (await owner.post("/api/rooms", { name: "Guests welcome" })).json()).room.code;
  });
  afterAll(async () => {
    await sync?.close();
    await api?.dispose();
  });

  async function joinLive(client: Client): Promise<SyncClient> {
    const socket = await SyncClient.connect(syncUrl);
    socket.join(code, TicketResponse.parse(await (await client.post(`/api/rooms/${code}/ticket`)).json()).ticket);
    await socket.frame("joined");
    return socket;
  }

  async function guestThrough(token: string, displayName: string) {
    const client = api.client();
    const response = await client.post(`/api/invites/${token}/guest`, { displayName });
    expect(response.status).toBe(201);
    return { client, id: GuestJoinResponse.parse(await response.json()).user.id };
  }

  it("[G4] a guest is listed as a guest; without the grant its commands are refused (NOT_HOST), with it or as host they are accepted", async () => {
    const { token } = RoomInviteResponse.parse(await (await owner.get(`/api/rooms/${code}/invite`)).json()).invite;
    const host = await joinLive(owner);
    host.send({ type: "PLAY", id: "g4-play", audioUrl: "/a.wav", duration: 600_000 });
    expect((await answerTo(host, "g4-play")).type).toBe("command_accepted");

    const gus = await guestThrough(token, "Gus");
    const guestSocket = await joinLive(gus.client);
    const joined = guestSocket.frames.find((f) => f.type === "joined") as unknown as { role: string; participants: Array<{ userId: string; isGuest?: boolean }> };
    expect(joined.role).toBe("listener");
    expect(joined.participants.find((p) => p.userId === gus.id)?.isGuest).toBe(true);
    expect(await host.until(() => host.frames.find((f) => f.type === "user_joined" && f.userId === gus.id), "user_joined")).toMatchObject({ isGuest: true, name: "Gus" });

    guestSocket.send({ type: "PAUSE", id: "g4-refused" });
    expect(await answerTo(guestSocket, "g4-refused")).toMatchObject({ type: "command_refused", code: "NOT_HOST" });

    expect((await owner.patch(`/api/rooms/${code}`, { listenersCanControl: true })).status).toBe(200);
    guestSocket.send({ type: "PAUSE", id: "g4-granted" });
    expect((await answerTo(guestSocket, "g4-granted")).type).toBe("command_accepted");
    expect((await owner.patch(`/api/rooms/${code}`, { listenersCanControl: false })).status).toBe(200);
    await guestSocket.until(() => guestSocket.frames.filter((f) => f.type === "room_updated").length >= 2, "grant withdrawn");
    guestSocket.send({ type: "RESUME", id: "g4-withdrawn" });
    expect(await answerTo(guestSocket, "g4-withdrawn")).toMatchObject({ type: "command_refused", code: "NOT_HOST" });

    // "Make host": the owner hands hosting to the guest, who then controls.
    expect(await (await owner.post(`/api/rooms/${code}/host`, { userId: gus.id })).json()).toEqual({ hostId: gus.id });
    await guestSocket.until(() => guestSocket.frames.find((f) => f.type === "host_changed" && f.hostId === gus.id), "host_changed");
    guestSocket.send({ type: "RESUME", id: "g4-host" });
    expect((await answerTo(guestSocket, "g4-host")).type).toBe("command_accepted");
    host.close();
    guestSocket.close();
  });

  it("[G2] after a rotation, a guest who joined with the old link still takes tickets; a newcomer with it is refused", async () => {
    const old = RoomInviteResponse.parse(await (await owner.get(`/api/rooms/${code}/invite`)).json()).invite.token;
    const early = await guestThrough(old, "Early");
    expect((await owner.post(`/api/rooms/${code}/invite/rotate`)).status).toBe(200);
    const socket = await joinLive(early.client);
    expect(socket.frames.find((f) => f.type === "joined")).toMatchObject({ role: "listener" });
    socket.close();
    expect((await api.client().post(`/api/invites/${old}/guest`, { displayName: "Late" })).status).toBe(404);
  });
});
