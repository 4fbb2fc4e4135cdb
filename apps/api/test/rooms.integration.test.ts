import { ParticipantListResponse, RoomListResponse, RoomResponse, TicketResponse } from "@sync-beats/protocol";
import { DEFAULT_TICKET_TTL_MS, verifyTicket } from "@sync-beats/ticket";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ROOM_CODE_ALPHABET } from "../src/rooms/room-codes.js";
import { describeEachBackend, errorCode, startTestApi, uniqueName, type Client, type TestApi } from "./harness.js";

describeEachBackend("rooms", (backend) => {
  let api: TestApi;
  // A hand-driven clock (starting at the real time, so cookie expiry still makes sense).
  const clock = { t: Math.floor(Date.now()), now: () => clock.t };
  let host: Client;
  let guest: Client;
  let hostId: string;
  let guestId: string;

  beforeAll(async () => {
    api = await startTestApi(backend, {
      seedDemoTracks: false,
      clock,
      env: { SYNC_SECRET: "rooms-test-secret-0123456789", SYNC_PUBLIC_URL: "ws://localhost:6001" },
    });
    host = api.client();
    guest = api.client();
    hostId = (await host.signup(uniqueName("host"), undefined, "Hosty")).id;
    guestId = (await guest.signup(uniqueName("guest"), undefined, "Guesty")).id;
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

  it("[RM2] a new room gets an unambiguous 6-character code, with the creator as host and participant", async () => {
    const { room, viewer } = await createRoom(host, { name: "  Friday night " });
    expect(room.code).toMatch(new RegExp(`^[${ROOM_CODE_ALPHABET}]{6}$`));
    expect(room).toMatchObject({ name: "Friday night", isPublic: true, guestsCanControl: false, participantCount: 1 });
    expect(room.host).toEqual({ userId: hostId, displayName: "Hosty" });
    expect(viewer).toEqual({ isParticipant: true, isHost: true, canControl: true });
    expect((await host.post("/api/rooms", { name: "a\u0000b" })).status).toBe(400);
    const invalid = await host.post("/api/rooms", { name: "", isPublic: "yes" });
    expect(invalid.status).toBe(400);
    expect(await errorCode(invalid)).toBe("VALIDATION_FAILED");
  });

  it("[RM3] the public list shows public rooms newest first with live counts; private rooms only by code", async () => {
    const older = (await createRoom(host, { name: "older" })).room;
    const secret = (await createRoom(host, { name: "secret", isPublic: false })).room;
    const newer = (await createRoom(host, { name: "newer" })).room;
    await guest.post(`/api/rooms/${older.code}/join`);
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
    expect((await host.post("/api/rooms/ZZZZZZ/join")).status).toBe(404);
    expect((await host.post("/api/rooms/ZZZZZZ/ticket")).status).toBe(404);
  });

  it("[RM5] join and leave change presence and counts; both are idempotent and need a session", async () => {
    const { room } = await createRoom(host, { name: "presence" });
    const joined = RoomResponse.parse(await (await guest.post(`/api/rooms/${room.code}/join`)).json());
    expect(joined.viewer).toEqual({ isParticipant: true, isHost: false, canControl: false });
    expect(joined.room.participantCount).toBe(2);
    await guest.post(`/api/rooms/${room.code}/join`);
    const left = await guest.post(`/api/rooms/${room.code}/leave`);
    expect(await left.json()).toEqual({ ok: true });
    expect((await guest.post(`/api/rooms/${room.code}/leave`)).status).toBe(200);
    const after = RoomResponse.parse(await (await guest.get(`/api/rooms/${room.code}`)).json());
    expect(after.room.participantCount).toBe(1);
    expect(after.viewer?.isParticipant).toBe(false);
    expect((await api.client().post(`/api/rooms/${room.code}/join`)).status).toBe(401);
    expect((await api.client().post(`/api/rooms/${room.code}/leave`)).status).toBe(401);
  });

  it("[RM6] participants list the host first, then guests in join order", async () => {
    const { room } = await createRoom(host, { name: "people" });
    clock.t += 1000;
    await guest.post(`/api/rooms/${room.code}/join`);
    const { participants } = ParticipantListResponse.parse(await (await api.client().get(`/api/rooms/${room.code}/participants`)).json());
    expect(participants.map((p) => [p.userId, p.role, p.displayName])).toEqual([
      [hostId, "host", "Hosty"],
      [guestId, "guest", "Guesty"],
    ]);
    expect((await api.client().get("/api/rooms/ZZZZZZ/participants")).status).toBe(404);
  });

  it("[RM7] only the host may change settings; guestsCanControl shows in the guest's view", async () => {
    const { room } = await createRoom(host, { name: "settings" });
    await guest.post(`/api/rooms/${room.code}/join`);
    const refused = await guest.patch(`/api/rooms/${room.code}`, { guestsCanControl: true });
    expect(refused.status).toBe(403);
    expect(await errorCode(refused)).toBe("NOT_HOST");
    expect((await host.patch(`/api/rooms/${room.code}`, {})).status).toBe(400);
    expect((await host.patch(`/api/rooms/${room.code}`, { hostUserId: guestId })).status).toBe(400);
    const changed = RoomResponse.parse(await (await host.patch(`/api/rooms/${room.code}`, { guestsCanControl: true, name: "renamed", isPublic: false })).json());
    expect(changed.room).toMatchObject({ guestsCanControl: true, name: "renamed", isPublic: false });
    const guestView = RoomResponse.parse(await (await guest.get(`/api/rooms/${room.code}`)).json());
    expect(guestView.viewer).toEqual({ isParticipant: true, isHost: false, canControl: true });
    expect((await api.client().patch(`/api/rooms/${room.code}`, { name: "x" })).status).toBe(401);
  });

  it("[RM8] host transfer: host only, to a current participant, after which the old host is a guest", async () => {
    const { room } = await createRoom(host, { name: "handover" });
    const notIn = await host.post(`/api/rooms/${room.code}/host`, { userId: guestId });
    expect(notIn.status).toBe(409);
    expect(await errorCode(notIn)).toBe("NOT_PARTICIPANT");
    await guest.post(`/api/rooms/${room.code}/join`);
    expect((await guest.post(`/api/rooms/${room.code}/host`, { userId: guestId })).status).toBe(403);
    expect((await host.post(`/api/rooms/${room.code}/host`, { userId: "bad id!" })).status).toBe(400);
    const moved = RoomResponse.parse(await (await host.post(`/api/rooms/${room.code}/host`, { userId: guestId })).json());
    expect(moved.room.host.userId).toBe(guestId);
    expect(moved.viewer).toEqual({ isParticipant: true, isHost: false, canControl: false });
    expect((await host.patch(`/api/rooms/${room.code}`, { name: "mine again" })).status).toBe(403);
    expect((await guest.patch(`/api/rooms/${room.code}`, { name: "new host's" })).status).toBe(200);
  });

  it("[RM9] /mine lists rooms I host or am in, and needs a session", async () => {
    const newcomer = api.client();
    await newcomer.signup(uniqueName("newcomer"));
    const own = (await createRoom(newcomer, { name: "own", isPublic: false })).room;
    const visited = (await createRoom(host, { name: "visited" })).room;
    await newcomer.post(`/api/rooms/${visited.code}/join`);
    const mine = RoomListResponse.parse(await (await newcomer.get("/api/rooms/mine")).json());
    expect(mine.rooms.map((r) => r.code)).toEqual([visited.code, own.code]);
    expect((await api.client().get("/api/rooms/mine")).status).toBe(401);
  });

  it("[RM10] a ticket carries identity, role and control right, expires in 60 s, and joins the caller", async () => {
    const { room } = await createRoom(host, { name: "tickets" });
    const response = await host.post(`/api/rooms/${room.code}/ticket`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = TicketResponse.parse(await response.json());
    expect(body.expiresAt).toBe(clock.t + DEFAULT_TICKET_TTL_MS);
    expect(body.syncUrl).toBe("ws://localhost:6001");
    const verified = verifyTicket(body.ticket, api.config.syncSecret, { roomCode: room.code, nowMs: clock.t });
    expect(verified).toMatchObject({ ok: true, claims: { userId: hostId, name: "Hosty", roomCode: room.code, role: "host", canControl: true } });

    const guestTicket = TicketResponse.parse(await (await guest.post(`/api/rooms/${room.code}/ticket`)).json());
    const guestClaims = verifyTicket(guestTicket.ticket, api.config.syncSecret, { roomCode: room.code, nowMs: clock.t });
    expect(guestClaims).toMatchObject({ ok: true, claims: { userId: guestId, role: "guest", canControl: false } });
    expect(await api.server.db.repos.participants.isLive(room.code, guestId)).toBe(true);

    expect(verifyTicket(body.ticket, api.config.syncSecret, { roomCode: "OTHER1", nowMs: clock.t })).toEqual({ ok: false, reason: "wrong-room" });
    expect(verifyTicket(body.ticket, api.config.syncSecret, { roomCode: room.code, nowMs: body.expiresAt })).toEqual({ ok: false, reason: "expired" });
    expect(verifyTicket(body.ticket, "some-other-secret-entirely", { roomCode: room.code, nowMs: clock.t })).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("[RM11] guests can control once the host allows it; tickets need a session", async () => {
    const { room } = await createRoom(host, { name: "open mic", guestsCanControl: true });
    const ticket = TicketResponse.parse(await (await guest.post(`/api/rooms/${room.code}/ticket`)).json());
    expect(verifyTicket(ticket.ticket, api.config.syncSecret, { roomCode: room.code, nowMs: clock.t })).toMatchObject({
      ok: true,
      claims: { role: "guest", canControl: true },
    });
    expect((await api.client().post(`/api/rooms/${room.code}/ticket`)).status).toBe(401);
  });
});
