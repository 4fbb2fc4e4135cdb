/**
 * A removal holds (issue 18, RM18): the owner removes a person through the API, which stores it
 * in the participants table (the fact's one owner) and tells the live room, which closes the
 * person's socket with 4011. After the live room is dropped (memory mode, no grace), the person
 * still gets no ticket and cannot rejoin: 403 `REMOVED`. Real API and sync servers; SQLite, and
 * PostgreSQL when TEST_DATABASE_URL is set.
 */
import { randomBytes } from "node:crypto";
import { CloseCode, RoomResponse, TicketResponse } from "@sync-beats/protocol";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachBackend, startTestApi, uniqueName, type Client, type TestApi } from "@sync-beats/api/testing";
import { loadConfig as loadSyncConfig, startSyncServer, type RunningSyncServer } from "@sync-beats/sync";
import { SyncClient } from "./sync-client.js";

describeEachBackend("removing a person from a room", (backend) => {
  let api: TestApi;
  let sync: RunningSyncServer;
  let syncUrl: string;
  let owner: Client;
  let ownerId: string;
  let code: string;

  beforeAll(async () => {
    const secret = randomBytes(24).toString("base64url");
    // No empty-room grace: the live room is dropped the moment its last socket leaves.
    const env = { PORT: "0", HOST: "127.0.0.1", SYNC_SECRET: secret, LOG_LEVEL: "silent", SYNC_EMPTY_ROOM_GRACE_MS: "0" };
    sync = await startSyncServer(loadSyncConfig(env), pino({ level: "silent" }));
    syncUrl = `ws://127.0.0.1:${sync.port}/`;
    api = await startTestApi(backend, { seedDemoTracks: false, env: { SYNC_SECRET: secret, SYNC_INTERNAL_URL: `http://127.0.0.1:${sync.port}` } });
    owner = api.client();
    ownerId = (await owner.signup(uniqueName("owner"), undefined, "Olive")).id;
    code = RoomResponse.parse(await (await owner.post("/api/rooms", { name: "Party" })).json()).room.code;
  });
  afterAll(async () => {
    await sync?.close();
    await api?.dispose();
  });

  async function person(name: string): Promise<{ client: Client; id: string }> {
    const client = api.client();
    return { client, id: (await client.signup(uniqueName(name), undefined, name)).id };
  }

  async function joinLive(client: Client): Promise<SyncClient> {
    const socket = await SyncClient.connect(syncUrl);
    socket.join(code, TicketResponse.parse(await (await client.post(`/api/rooms/${code}/ticket`)).json()).ticket);
    await socket.frame("joined");
    return socket;
  }

  it("[RM18] only the owner removes, never themselves, only someone who joined; the live socket closes with 4011", async () => {
    const rob = await person("Rob");
    const stranger = await person("Stan");
    const robSocket = await joinLive(rob.client);
    const ownerSocket = await joinLive(owner);

    expect(await (await rob.client.delete(`/api/rooms/${code}/participants/${ownerId}`)).json()).toMatchObject({ error: { code: "NOT_OWNER" } });
    expect((await owner.delete(`/api/rooms/${code}/participants/${ownerId}`)).status).toBe(400);
    const unknown = await owner.delete(`/api/rooms/${code}/participants/${stranger.id}`);
    expect(unknown.status).toBe(409);
    expect(await unknown.json()).toMatchObject({ error: { code: "NOT_PARTICIPANT" } });
    expect((await owner.delete(`/api/rooms/${code}/participants/not%20an%20id`)).status).toBe(400);

    const removed = await owner.delete(`/api/rooms/${code}/participants/${rob.id}`);
    expect(removed.status).toBe(200);
    expect((await robSocket.closing()).code).toBe(CloseCode.REMOVED);
    expect(ownerSocket.closed).toBeNull();
    ownerSocket.ws.close();
  });

  it("[RM18][R13] after the live room was dropped, the removed person gets no ticket and cannot rejoin (403 REMOVED); others can", async () => {
    const ria = await person("Ria");
    const other = await person("Otto");
    (await joinLive(ria.client)).ws.close();
    expect((await owner.delete(`/api/rooms/${code}/participants/${ria.id}`)).status).toBe(200);
    // Nobody is in the live room now and it has no grace: its state, removal list included, is gone.
    for (const path of [`/api/rooms/${code}/ticket`, `/api/rooms/${code}/join`]) {
      const refused = await ria.client.post(path);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: { code: "REMOVED" } });
    }
    const participants = await (await owner.get(`/api/rooms/${code}/participants`)).json();
    expect((participants as { participants: { userId: string }[] }).participants.map((p) => p.userId)).not.toContain(ria.id);
    const otto = await joinLive(other.client);
    expect(otto.closed).toBeNull();
    otto.ws.close();
  });
});
