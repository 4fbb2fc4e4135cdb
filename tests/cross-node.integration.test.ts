/**
 * REST changes reach sockets on every sync node, not only the one the API calls (IA2): two sync
 * processes share one Redis, the API's `SYNC_INTERNAL_URL` points at node A only, and the checks
 * watch sockets on node B. Skipped, with a printed reason, when TEST_REDIS_URL is unset. Both nodes
 * run on this machine's clock, so they need no shared Redis time (RB4 covers skewed nodes).
 */
import { randomBytes } from "node:crypto";
import { CloseCode, RoomResponse, TicketResponse } from "@sync-beats/protocol";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, uniqueName, type Client, type TestApi } from "@sync-beats/api/testing";
import { createRedisBackplane, loadConfig as loadSyncConfig, startSyncServer, systemClock, type RunningSyncServer } from "@sync-beats/sync";
import { answerTo, SyncClient, within } from "./sync-client.js";

const redisUrl = process.env.TEST_REDIS_URL;
const suite = "API + two sync nodes over Redis";
if (!redisUrl) console.log(`[${suite}] TEST_REDIS_URL is not set: skipping the Redis suite`);

/** How long a push may take to cross from node A to node B over Redis pub/sub. */
const CROSS_NODE_MS = 1_000;

describe.skipIf(!redisUrl)(suite, () => {
  let api: TestApi;
  const nodes: RunningSyncServer[] = [];
  let nodeA: string;
  let nodeB: string;
  let owner: Client;
  let listener: Client;
  let listenerId: string;
  const sockets: SyncClient[] = [];

  beforeAll(async () => {
    // A fresh secret per run: parallel runs on one Redis never accept each other's tickets.
    const secret = randomBytes(24).toString("base64url");
    const logger = pino({ level: "silent" });
    const config = loadSyncConfig({ PORT: "0", HOST: "127.0.0.1", SYNC_SECRET: secret, LOG_LEVEL: "silent", REDIS_URL: redisUrl! });
    for (let i = 0; i < 2; i++) {
      nodes.push(await startSyncServer(config, logger, systemClock, await createRedisBackplane(redisUrl!, systemClock, logger)));
    }
    [nodeA, nodeB] = nodes.map((node) => `ws://127.0.0.1:${node.port}/`) as [string, string];
    api = await startTestApi("sqlite", { seedDemoTracks: false, env: { SYNC_SECRET: secret, SYNC_INTERNAL_URL: `http://127.0.0.1:${nodes[0]!.port}` } });
    owner = api.client();
    listener = api.client();
    await owner.signup(uniqueName("owner"), undefined, "Owner");
    listenerId = (await listener.signup(uniqueName("listener"), undefined, "Listener")).id;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    for (const node of nodes) await node.close();
    await api?.dispose();
  });

  /** A new room (the API draws its code at random, so runs sharing Redis do not meet). */
  async function newRoom(name: string): Promise<string> {
    return RoomResponse.parse(await (await owner.post("/api/rooms", { name })).json()).room.code;
  }

  /** A socket on `nodeUrl` joined to `roomCode` with a fresh ticket of `client`. */
  async function joinOn(nodeUrl: string, client: Client, roomCode: string): Promise<SyncClient> {
    const response = await client.post(`/api/rooms/${roomCode}/ticket`);
    expect(response.status).toBe(200);
    const socket = await SyncClient.connect(nodeUrl);
    sockets.push(socket);
    socket.join(roomCode, TicketResponse.parse(await response.json()).ticket);
    await socket.frame("joined");
    return socket;
  }

  /** The owner hosting on node A with a track playing, and the listener on node B. */
  async function playingRoom(name: string) {
    const room = await newRoom(name);
    const host = await joinOn(nodeA, owner, room);
    const onB = await joinOn(nodeB, listener, room);
    host.send({ type: "PLAY", id: "play", audioUrl: "/a.wav", duration: 600_000 });
    expect((await answerTo(host, "play")).type).toBe("command_accepted");
    return { room, host, onB };
  }

  it("[X7][IA2][RA1][RA6] a listener-control toggle sent to node A lets a listener on node B control within 1 s", async () => {
    const { room, onB } = await playingRoom("Open mic");
    onB.send({ type: "PAUSE", id: "before" });
    expect(await answerTo(onB, "before")).toMatchObject({ type: "command_refused", code: "NOT_HOST" });

    expect((await owner.patch(`/api/rooms/${room}`, { listenersCanControl: true })).status).toBe(200);
    const updated = await within(CROSS_NODE_MS, onB.frame("room_updated"), "room_updated on node B");
    expect(updated.room).toMatchObject({ listenersCanControl: true });
    onB.send({ type: "PAUSE", id: "allowed" });
    expect(await answerTo(onB, "allowed")).toMatchObject({ type: "command_accepted" });
  });

  it("[X8][IA2][RA5] a host transfer sent to node A: the old host on A is refused at once, the new host on B is accepted before it hears host_changed", async () => {
    const { room, host, onB } = await playingRoom("Handover");
    const transfer = await owner.post(`/api/rooms/${room}/host`, { userId: listenerId });
    expect(transfer.status).toBe(200);
    expect(await transfer.json()).toEqual({ hostId: listenerId });

    // Both commands go out the moment the API answers: neither waits for the broadcast.
    host.send({ type: "SEEK", id: "old-host", seekPositionMs: 1_000 });
    onB.send({ type: "SEEK", id: "new-host", seekPositionMs: 2_000 });
    expect(await answerTo(host, "old-host")).toMatchObject({ type: "command_refused", code: "NOT_HOST" });
    expect(await answerTo(onB, "new-host")).toMatchObject({ type: "command_accepted" });
    await within(CROSS_NODE_MS, onB.until(() => onB.frames.find((f) => f.type === "host_changed" && f.hostId === listenerId), "host_changed"), "host_changed on node B");
  });

  it("[X9][IA2][RA7] deleting a room through node A closes its sockets on both nodes with room_closed and 4004", async () => {
    const { room, host, onB } = await playingRoom("Doomed");
    expect((await owner.delete(`/api/rooms/${room}`)).status).toBe(200);
    for (const [node, socket] of [["A", host], ["B", onB]] as const) {
      expect((await within(CROSS_NODE_MS, socket.closing(), `close on node ${node}`)).code).toBe(CloseCode.ROOM_CLOSED);
      expect(socket.frames.some((f) => f.type === "room_closed")).toBe(true);
    }
  });
});
