import { ParticipantListResponse, RoomListResponse, RoomResponse, TicketResponse } from "@sync-beats/protocol";
import { DEFAULT_TICKET_TTL_MS, verifyTicket } from "@sync-beats/ticket";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ROOM_CODE_ALPHABET } from "../src/rooms/room-codes.js";
import { describeEachBackend, errorCode, startTestApi, uniqueName, type Client, type TestApi } from "./harness.js";

describeEachBackend("rooms", (backend) => {
  let api: TestApi;
  // A hand-driven clock (starting at the real time, so cookie expiry still makes sense).
  const clock = { t: Math.floor(Date.now()), now: () => clock.t };
  let owner: Client;
  let listener: Client;
  let ownerId: string;
  let listenerId: string;

  beforeAll(async () => {
    api = await startTestApi(backend, {
      seedDemoTracks: false,
      clock,
      env: { SYNC_SECRET: "rooms-test-secret-0123456789", SYNC_PUBLIC_URL: "ws://localhost:6001" },
    });
    owner = api.client();
    listener = api.client();
    ownerId = (await owner.signup(uniqueName("owner"), undefined, "Olive")).id;
    listenerId = (await listener.signup(uniqueName("listener"), undefined, "Liam")).id;
  });
  afterAll(() => api.dispose());

  async function createRoom(client: Client, body: Record<string, unknown>) {
    clock.t += 1000;
    const response = await client.post("/api/rooms", body);
    expect(response.status).toBe(201);
    return RoomResponse.parse(await response.json());
  }

  it("[RM1] creating a room needs a session; listing does not", async () => {
    const anonymous = api.client();
    const refused = await anonymous.post("/api/rooms", { name: "x" });
    expect(refused.status).toBe(401);
    expect(await errorCode(refused)).toBe("UNAUTHENTICATED");
    expect((await anonymous.get("/api/rooms")).status).toBe(200);
  });

  it("[RM2] a new room gets an unambiguous 6-character code, with the creator as owner and participant", async () => {
    const { room, viewer } = await createRoom(owner, { name: "  Friday night " });
    expect(room.code).toMatch(new RegExp(`^[${ROOM_CODE_ALPHABET}]{6}$`));
    expect(room).toMatchObject({ name: "Friday night", isPublic: true, listenersCanControl: false, participantCount: 1 });
    expect(room.owner).toEqual({ userId: ownerId, displayName: "Olive" });
    expect(viewer).toEqual({ isParticipant: true, isOwner: true });
    expect((await owner.post("/api/rooms", { name: "a\u0000b" })).status).toBe(400);
    const invalid = await owner.post("/api/rooms", { name: "", isPublic: "yes" });
    expect(invalid.status).toBe(400);
    expect(await errorCode(invalid)).toBe("VALIDATION_FAILED");
  });

  it("[RM3] the public list shows public rooms newest first with live counts; private rooms only by code", async () => {
    const older = (await createRoom(owner, { name: "older" })).room;
    const secret = (await createRoom(owner, { name: "secret", isPublic: false })).room;
    const newer = (await createRoom(owner, { name: "newer" })).room;
    await listener.post(`/api/rooms/${older.code}/join`);
    const { rooms } = RoomListResponse.parse(await (await api.client().get("/api/rooms")).json());
    const codes = rooms.map((r) => r.code);
    expect(codes.indexOf(newer.code)).toBeLessThan(codes.indexOf(older.code));
    expect(codes).not.toContain(secret.code);
    expect(rooms.find((r) => r.code === older.code)?.participantCount).toBe(2);
    const byCode = await api.client().get(`/api/rooms/${secret.code.toLowerCase()}`);
    expect(byCode.status).toBe(200);
    expect(RoomResponse.parse(await byCode.json())).toMatchObject({ room: { code: secret.code }, viewer: null });
    const limited = RoomListResponse.parse(await (await api.client().get("/api/rooms?limit=1")).json());
    expect(limited.rooms).toHaveLength(1);
    expect((await api.client().get("/api/rooms?limit=0")).status).toBe(400);
  });

  it("[RM4] unknown codes are 404, malformed codes 400", async () => {
    const missing = await api.client().get("/api/rooms/ZZZZZZ");
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe("NOT_FOUND");
    expect((await api.client().get("/api/rooms/no!")).status).toBe(400);
    expect((await owner.post("/api/rooms/ZZZZZZ/join")).status).toBe(404);
    expect((await owner.post("/api/rooms/ZZZZZZ/ticket")).status).toBe(404);
  });

  it("[RM5] join and leave change presence and counts; both are idempotent and need a session", async () => {
    const { room } = await createRoom(owner, { name: "presence" });
    const joined = RoomResponse.parse(await (await listener.post(`/api/rooms/${room.code}/join`)).json());
    expect(joined.viewer).toEqual({ isParticipant: true, isOwner: false });
    expect(joined.room.participantCount).toBe(2);
    await listener.post(`/api/rooms/${room.code}/join`);
    const left = await listener.post(`/api/rooms/${room.code}/leave`);
    expect(await left.json()).toEqual({ ok: true });
    expect((await listener.post(`/api/rooms/${room.code}/leave`)).status).toBe(200);
    const after = RoomResponse.parse(await (await listener.get(`/api/rooms/${room.code}`)).json());
    expect(after.room.participantCount).toBe(1);
    expect(after.viewer?.isParticipant).toBe(false);
    expect((await api.client().post(`/api/rooms/${room.code}/join`)).status).toBe(401);
    expect((await api.client().post(`/api/rooms/${room.code}/leave`)).status).toBe(401);
  });

  it("[RM6] participants list the owner first, then listeners in join order", async () => {
    const { room } = await createRoom(owner, { name: "people" });
    clock.t += 1000;
    await listener.post(`/api/rooms/${room.code}/join`);
    const { participants } = ParticipantListResponse.parse(await (await listener.get(`/api/rooms/${room.code}/participants`)).json());
    expect(participants.map((p) => [p.userId, p.role, p.displayName])).toEqual([
      [ownerId, "owner", "Olive"],
      [listenerId, "listener", "Liam"],
    ]);
    expect((await owner.get("/api/rooms/ZZZZZZ/participants")).status).toBe(404);
  });

  it("[RM12] participants are shown only to the room's participants and its owner, private or public", async () => {
    for (const isPublic of [true, false]) {
      const { room } = await createRoom(owner, { name: "who is here", isPublic });
      const path = `/api/rooms/${room.code}/participants`;
      const anonymous = await api.client().get(path);
      expect(anonymous.status).toBe(401);
      expect(await errorCode(anonymous)).toBe("UNAUTHENTICATED");
      const stranger = await listener.get(path);
      expect(stranger.status).toBe(403);
      expect(await errorCode(stranger)).toBe("NOT_IN_ROOM");
      await listener.post(`/api/rooms/${room.code}/join`);
      expect((await listener.get(path)).status).toBe(200);
      await listener.post(`/api/rooms/${room.code}/leave`);
      expect((await listener.get(path)).status).toBe(403);
      // The owner keeps the room after leaving it, and with it the list.
      await owner.post(`/api/rooms/${room.code}/leave`);
      expect((await owner.get(path)).status).toBe(200);
    }
  });

  it("[RM7] only the owner may change settings; listenersCanControl shows in the listener's view", async () => {
    const { room } = await createRoom(owner, { name: "settings" });
    await listener.post(`/api/rooms/${room.code}/join`);
    const refused = await listener.patch(`/api/rooms/${room.code}`, { listenersCanControl: true });
    expect(refused.status).toBe(403);
    expect(await errorCode(refused)).toBe("NOT_OWNER");
    expect((await owner.patch(`/api/rooms/${room.code}`, {})).status).toBe(400);
    expect((await owner.patch(`/api/rooms/${room.code}`, { ownerUserId: listenerId })).status).toBe(400);
    const changed = RoomResponse.parse(await (await owner.patch(`/api/rooms/${room.code}`, { listenersCanControl: true, name: "renamed", isPublic: false })).json());
    expect(changed.room).toMatchObject({ listenersCanControl: true, name: "renamed", isPublic: false });
    const listenerView = RoomResponse.parse(await (await listener.get(`/api/rooms/${room.code}`)).json());
    expect(listenerView.viewer).toEqual({ isParticipant: true, isOwner: false });
    expect((await api.client().patch(`/api/rooms/${room.code}`, { name: "x" })).status).toBe(401);
  });

  it("[RM8] owner transfer: owner only, to a current participant, after which the old owner is a listener", async () => {
    const { room } = await createRoom(owner, { name: "handover" });
    const notIn = await owner.post(`/api/rooms/${room.code}/owner`, { userId: listenerId });
    expect(notIn.status).toBe(409);
    expect(await errorCode(notIn)).toBe("NOT_PARTICIPANT");
    await listener.post(`/api/rooms/${room.code}/join`);
    expect((await listener.post(`/api/rooms/${room.code}/owner`, { userId: listenerId })).status).toBe(403);
    expect((await owner.post(`/api/rooms/${room.code}/owner`, { userId: "bad id!" })).status).toBe(400);
    const moved = RoomResponse.parse(await (await owner.post(`/api/rooms/${room.code}/owner`, { userId: listenerId })).json());
    expect(moved.room.owner.userId).toBe(listenerId);
    expect(moved.viewer).toEqual({ isParticipant: true, isOwner: false });
    expect((await owner.patch(`/api/rooms/${room.code}`, { name: "mine again" })).status).toBe(403);
    expect((await listener.patch(`/api/rooms/${room.code}`, { name: "new owner's" })).status).toBe(200);
  });

  it("[RM9] /mine lists rooms I own or am in, and needs a session", async () => {
    const newcomer = api.client();
    await newcomer.signup(uniqueName("newcomer"));
    const own = (await createRoom(newcomer, { name: "own", isPublic: false })).room;
    const visited = (await createRoom(owner, { name: "visited" })).room;
    await newcomer.post(`/api/rooms/${visited.code}/join`);
    const mine = RoomListResponse.parse(await (await newcomer.get("/api/rooms/mine")).json());
    expect(mine.rooms.map((r) => r.code)).toEqual([visited.code, own.code]);
    expect((await api.client().get("/api/rooms/mine")).status).toBe(401);
  });

  it("[RM10] a ticket carries identity and the room's versioned facts, expires in 60 s, and joins the caller", async () => {
    const { room } = await createRoom(owner, { name: "tickets" });
    const response = await owner.post(`/api/rooms/${room.code}/ticket`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = TicketResponse.parse(await response.json());
    expect(body.expiresAt).toBe(clock.t + DEFAULT_TICKET_TTL_MS);
    expect(body.syncUrl).toBe("ws://localhost:6001");
    const verified = verifyTicket(body.ticket, api.config.syncSecret, { roomCode: room.code, nowMs: clock.t });
    expect(verified).toMatchObject({
      ok: true,
      claims: { userId: ownerId, name: "Olive", roomCode: room.code, room: { name: "tickets", ownerId, listenersCanControl: false, version: clock.t } },
    });

    const listenerTicket = TicketResponse.parse(await (await listener.post(`/api/rooms/${room.code}/ticket`)).json());
    const listenerClaims = verifyTicket(listenerTicket.ticket, api.config.syncSecret, { roomCode: room.code, nowMs: clock.t });
    expect(listenerClaims).toMatchObject({ ok: true, claims: { userId: listenerId, room: { ownerId, listenersCanControl: false } } });
    expect(await api.server.db.repos.participants.isLive(room.code, listenerId)).toBe(true);

    expect(verifyTicket(body.ticket, api.config.syncSecret, { roomCode: "OTHER1", nowMs: clock.t })).toEqual({ ok: false, reason: "wrong-room" });
    expect(verifyTicket(body.ticket, api.config.syncSecret, { roomCode: room.code, nowMs: body.expiresAt })).toEqual({ ok: false, reason: "expired" });
    expect(verifyTicket(body.ticket, "some-other-secret-entirely", { roomCode: room.code, nowMs: clock.t })).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("[RM11] a settings change makes newer facts: tickets after it carry them; tickets need a session", async () => {
    const { room } = await createRoom(owner, { name: "open mic" });
    const claimsOf = async () => {
      const ticket = TicketResponse.parse(await (await listener.post(`/api/rooms/${room.code}/ticket`)).json());
      const verified = verifyTicket(ticket.ticket, api.config.syncSecret, { roomCode: room.code, nowMs: clock.t });
      if (!verified.ok) throw new Error(verified.reason);
      return verified.claims.room;
    };
    const before = await claimsOf();
    expect((await owner.patch(`/api/rooms/${room.code}`, { listenersCanControl: true })).status).toBe(200);
    const after = await claimsOf();
    expect(after).toMatchObject({ listenersCanControl: true });
    expect(after.version).toBeGreaterThan(before.version);
    expect((await api.client().post(`/api/rooms/${room.code}/ticket`)).status).toBe(401);
  });

  it("[RM16] a host transfer is the live room's to decide: with no sync server reachable it is 503 UNAVAILABLE, and bad input is still 400", async () => {
    const { room } = await createRoom(owner, { name: "no live room" });
    expect((await owner.post(`/api/rooms/${room.code}/host`, { userId: "bad id!" })).status).toBe(400);
    const response = await owner.post(`/api/rooms/${room.code}/host`, { userId: listenerId });
    expect(response.status).toBe(503);
    expect(await errorCode(response)).toBe("UNAVAILABLE");
  });

  it("[RM17] only the owner deletes a room; then it is gone", async () => {
    const { room } = await createRoom(owner, { name: "short-lived" });
    await listener.post(`/api/rooms/${room.code}/join`);
    expect((await listener.delete(`/api/rooms/${room.code}`)).status).toBe(403);
    expect((await owner.delete(`/api/rooms/${room.code}`)).status).toBe(200);
    expect((await owner.get(`/api/rooms/${room.code}`)).status).toBe(404);
    expect((await owner.delete(`/api/rooms/${room.code}`)).status).toBe(404);
  });
});
