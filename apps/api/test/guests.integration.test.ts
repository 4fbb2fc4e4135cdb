import { GuestJoinResponse, InviteLookupResponse, ParticipantListResponse, RoomInviteResponse, RoomResponse, TicketResponse, UserResponse } from "@sync-beats/protocol";
import { verifyTicket } from "@sync-beats/ticket";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachBackend, errorCode, startTestApi, uniqueName, type Client, type TestApi } from "./harness.js";

const SECRET = "guests-test-secret-0123456789";

describeEachBackend("guests and invite links", (backend) => {
  let api: TestApi;
  // A hand-driven clock (starting at the real time, so cookie expiry still makes sense).
  const clock = { t: Math.floor(Date.now()), now: () => clock.t };
  let owner: Client;
  let code: string;
  let otherCode: string;

  beforeAll(async () => {
    api = await startTestApi(backend, { seedDemoTracks: false, clock, env: { SYNC_SECRET: SECRET, GUEST_SESSION_TTL_MS: String(60 * 60 * 1000) } });
    owner = api.client();
    await owner.signup(uniqueName("owner"), undefined, "Olive");
    code = RoomResponse.parse(await (await owner.post("/api/rooms", { name: "Friday", isPublic: false })).json()).room.code;
    otherCode = RoomResponse.parse(await (await owner.post("/api/rooms", { name: "Other" })).json()).room.code;
  });
  afterAll(() => api.dispose());

  async function inviteOf(client: Client, roomCode = code) {
    const response = await client.get(`/api/rooms/${roomCode}/invite`);
    expect(response.status).toBe(200);
    return RoomInviteResponse.parse(await response.json()).invite;
  }

  async function joinAsGuest(token: string, displayName = "Gus") {
    const guest = api.client();
    const response = await guest.post(`/api/invites/${token}/guest`, { displayName });
    return { guest, response };
  }

  it("[G0] the room's link opens its name to anyone; a guest joins with a name only and is listed as a guest", async () => {
    const { token, enabled } = await inviteOf(owner);
    expect(enabled).toBe(true);
    expect((await inviteOf(owner)).token).toBe(token);
    const lookup = await api.client().get(`/api/invites/${token}`);
    expect(InviteLookupResponse.parse(await lookup.json())).toEqual({ invite: { roomName: "Friday", open: true } });
    const { guest, response } = await joinAsGuest(token, "  Gus  ");
    expect(response.status).toBe(201);
    const joined = GuestJoinResponse.parse(await response.json());
    expect(joined).toMatchObject({ roomCode: code, user: { displayName: "Gus", guest: { roomCode: code } } });
    expect(guest.lastSetCookie.join()).toMatch(/sb\.sid=.*HttpOnly/i);
    expect(UserResponse.parse(await (await guest.get("/auth/dashboard")).json()).user.guest).toEqual({ roomCode: code });
    const list = ParticipantListResponse.parse(await (await owner.get(`/api/rooms/${code}/participants`)).json()).participants;
    expect(list.map((p) => [p.displayName, p.role])).toEqual([
      ["Olive", "owner"],
      ["Gus", "guest"],
    ]);
    // A guest may read its room and share its link.
    expect((await guest.get(`/api/rooms/${code}`)).status).toBe(200);
    expect((await inviteOf(guest)).token).toBe(token);
  });

  it("[G0] an account holding the link joins as itself (200), keeping its session", async () => {
    const member = api.client();
    const me = await member.signup(uniqueName("member"), undefined, "Mia");
    const sid = member.sid;
    const response = await member.post(`/api/invites/${(await inviteOf(owner)).token}/guest`, { displayName: "ignored" });
    expect(response.status).toBe(200);
    expect(GuestJoinResponse.parse(await response.json())).toMatchObject({ roomCode: code, user: { id: me.id, displayName: "Mia" } });
    expect(member.sid).toBe(sid);
    const list = ParticipantListResponse.parse(await (await owner.get(`/api/rooms/${code}/participants`)).json()).participants;
    expect(list.find((p) => p.userId === me.id)?.role).toBe("listener");
  });

  it("[G1] a guest session used on another room is refused (403 GUEST_NOT_ALLOWED), known code or not; its own room's ticket says guest", async () => {
    const { guest } = await joinAsGuest((await inviteOf(owner)).token);
    for (const path of [`/api/rooms/${otherCode}`, `/api/rooms/${otherCode}/participants`, "/api/rooms/ZZZZZ2"]) {
      const refused = await guest.get(path);
      expect(refused.status).toBe(403);
      expect(await errorCode(refused)).toBe("GUEST_NOT_ALLOWED");
    }
    for (const path of [`/api/rooms/${otherCode}/ticket`, `/api/rooms/${otherCode}/join`]) {
      const refused = await guest.post(path);
      expect(refused.status).toBe(403);
      expect(await errorCode(refused)).toBe("GUEST_NOT_ALLOWED");
    }
    const ticket = TicketResponse.parse(await (await guest.post(`/api/rooms/${code}/ticket`)).json()).ticket;
    const verified = verifyTicket(ticket, SECRET, { roomCode: code, nowMs: clock.now() });
    expect(verified.ok && verified.claims.guest).toBe(true);
    const ownerTicket = TicketResponse.parse(await (await owner.post(`/api/rooms/${code}/ticket`)).json()).ticket;
    const ownerClaims = verifyTicket(ownerTicket, SECRET, { roomCode: code, nowMs: clock.now() });
    expect(ownerClaims.ok && ownerClaims.claims.guest).toBeUndefined();
  });

  it("[G2] a rotated link is refused at once (404 INVITE_INVALID), for lookups and joins; guests who joined stay", async () => {
    const old = (await inviteOf(owner)).token;
    const { guest } = await joinAsGuest(old, "Early");
    const rotated = await owner.post(`/api/rooms/${code}/invite/rotate`);
    expect(rotated.status).toBe(200);
    const fresh = RoomInviteResponse.parse(await rotated.json()).invite.token;
    expect(fresh).not.toBe(old);
    const lookup = await api.client().get(`/api/invites/${old}`);
    expect(lookup.status).toBe(404);
    expect(await errorCode(lookup)).toBe("INVITE_INVALID");
    const late = await joinAsGuest(old, "Late");
    expect(late.response.status).toBe(404);
    expect(await errorCode(late.response)).toBe("INVITE_INVALID");
    expect(late.guest.sid).toBeUndefined();
    // Documented product rule: rotation stops new joins, not the guests already in the room.
    expect((await guest.post(`/api/rooms/${code}/ticket`)).status).toBe(200);
    expect((await joinAsGuest(fresh, "New")).response.status).toBe(201);
    // Only the owner rotates.
    const byGuest = await guest.post(`/api/rooms/${code}/invite/rotate`);
    expect(await errorCode(byGuest)).toBe("NOT_OWNER");
  });

  it("[G3] a disabled link shows closed and refuses joins (403 INVITE_DISABLED); turned on again it works; owner only", async () => {
    const { token } = await inviteOf(owner);
    const off = await owner.call("PUT", `/api/rooms/${code}/invite`, { json: { enabled: false } });
    expect(RoomInviteResponse.parse(await off.json()).invite).toEqual({ token, enabled: false });
    expect(InviteLookupResponse.parse(await (await api.client().get(`/api/invites/${token}`)).json()).invite.open).toBe(false);
    const refused = await joinAsGuest(token);
    expect(refused.response.status).toBe(403);
    expect(await errorCode(refused.response)).toBe("INVITE_DISABLED");
    const stranger = api.client();
    await stranger.signup(uniqueName("stranger"));
    expect(await errorCode(await stranger.call("PUT", `/api/rooms/${code}/invite`, { json: { enabled: true } }))).toBe("NOT_OWNER");
    expect(await errorCode(await stranger.get(`/api/rooms/${code}/invite`))).toBe("NOT_IN_ROOM");
    expect((await owner.call("PUT", `/api/rooms/${code}/invite`, { json: { enabled: "yes" } })).status).toBe(400);
    await owner.call("PUT", `/api/rooms/${code}/invite`, { json: { enabled: true } });
    expect((await joinAsGuest(token)).response.status).toBe(201);
  });

  it("[G5] a guest cannot upload or delete tracks, create rooms or list rooms (403 GUEST_NOT_ALLOWED), nor own a room", async () => {
    const { guest, response } = await joinAsGuest((await inviteOf(owner)).token, "Nosy");
    const guestId = GuestJoinResponse.parse(await response.json()).user.id;
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(16)], { type: "audio/wav" }), "x.wav");
    const attempts = [
      await guest.call("POST", "/api/tracks", { body: form }),
      await guest.delete("/api/tracks/demo-chords"),
      await guest.post("/api/rooms", { name: "mine" }),
      await guest.get("/api/rooms"),
      await guest.get("/api/rooms/mine"),
    ];
    for (const refused of attempts) {
      expect(refused.status).toBe(403);
      expect(await errorCode(refused)).toBe("GUEST_NOT_ALLOWED");
    }
    // The track list (what it may queue) is open to it.
    expect((await guest.get("/api/tracks")).status).toBe(200);
    expect(await errorCode(await owner.post(`/api/rooms/${code}/owner`, { userId: guestId }))).toBe("GUEST_NOT_ALLOWED");
  });

  it("[G7] a guest becomes an account keeping its id and name, with a new session; then it is a normal user", async () => {
    const { guest, response } = await joinAsGuest((await inviteOf(owner)).token, "Gwen");
    const guestId = GuestJoinResponse.parse(await response.json()).user.id;
    const guestSid = guest.sid;
    const username = uniqueName("gwen");
    expect((await guest.post("/auth/upgrade", { username, password: "short" })).status).toBe(400);
    const upgraded = await guest.post("/auth/upgrade", { username, password: "correct horse battery" });
    expect(upgraded.status).toBe(200);
    const { user } = UserResponse.parse(await upgraded.json());
    expect(user).toMatchObject({ id: guestId, username, displayName: "Gwen" });
    expect(user.guest).toBeUndefined();
    expect(guest.sid).not.toBe(guestSid);
    expect((await guest.get("/api/rooms/mine")).status).toBe(200);
    expect((await guest.post("/api/rooms", { name: "Gwen's" })).status).toBe(201);
    const participants = ParticipantListResponse.parse(await (await owner.get(`/api/rooms/${code}/participants`)).json()).participants;
    expect(participants.find((p) => p.userId === guestId)?.role).toBe("listener");
    // Logging in with the new password works; an account cannot "upgrade" again; a taken name is refused.
    expect((await api.client().post("/auth/login", { username, password: "correct horse battery" })).status).toBe(200);
    expect(await errorCode(await guest.post("/auth/upgrade", { username: uniqueName("again"), password: "correct horse battery" }))).toBe("CONFLICT");
    const other = (await joinAsGuest((await inviteOf(owner)).token, "Other")).guest;
    expect(await errorCode(await other.post("/auth/upgrade", { username, password: "correct horse battery" }))).toBe("USERNAME_TAKEN");
  });

  it("[G8] a guest session expires after GUEST_SESSION_TTL_MS unused (401), and a malformed token is just invalid", async () => {
    const { guest } = await joinAsGuest((await inviteOf(owner)).token, "Brief");
    // The cookie's own lifetime is the guest's (an hour here), not an account's week.
    const expires = Date.parse(/Expires=([^;]+)/i.exec(guest.lastSetCookie.join())?.[1] ?? "");
    expect(Math.round((expires - Date.now()) / 60_000)).toBe(60);
    // express-session dates the row from the real time; the store reads it at the test's clock.
    const saved = clock.t;
    clock.t = Date.now() + 59 * 60_000;
    expect((await guest.get("/auth/dashboard")).status).toBe(200);
    clock.t = Date.now() + 61 * 60_000;
    expect(await errorCode(await guest.get("/auth/dashboard"))).toBe("UNAUTHENTICATED");
    clock.t = saved;
    expect(await errorCode(await api.client().get("/api/invites/not-a-token"))).toBe("INVITE_INVALID");
    expect((await api.client().post(`/api/invites/${(await inviteOf(owner)).token}/guest`, { displayName: "" })).status).toBe(400);
  });

  it("[G9] deleting the room ends its guests' sessions", async () => {
    const { guest } = await joinAsGuest((await inviteOf(owner, otherCode)).token, "Gone");
    expect((await guest.get(`/api/rooms/${otherCode}`)).status).toBe(200);
    expect((await owner.delete(`/api/rooms/${otherCode}`)).status).toBe(200);
    expect(await errorCode(await guest.get("/auth/dashboard"))).toBe("UNAUTHENTICATED");
  });
});

describe("guest joins are rate limited", () => {
  let api: TestApi;
  beforeAll(async () => {
    // TRUST_PROXY so X-Forwarded-For names the client address: several "addresses" from one test.
    api = await startTestApi("sqlite", { seedDemoTracks: false, env: { GUEST_JOIN_RATE_LIMIT_MAX: "2", TRUST_PROXY: "1" } });
  });
  afterAll(() => api.dispose());

  it("[G6] guest joins are limited per client address, refused ones too: 429 RATE_LIMITED with Retry-After", async () => {
    const owner = api.client();
    await owner.signup(uniqueName("owner"));
    const code = RoomResponse.parse(await (await owner.post("/api/rooms", { name: "busy" })).json()).room.code;
    const { token } = RoomInviteResponse.parse(await (await owner.get(`/api/rooms/${code}/invite`)).json()).invite;
    const from = (address: string) => ({ headers: { "x-forwarded-for": address } });
    expect((await api.client().post(`/api/invites/${token}/guest`, { displayName: "A" }, from("203.0.113.9"))).status).toBe(201);
    expect((await api.client().post(`/api/invites/${token}/guest`, { displayName: "" }, from("203.0.113.9"))).status).toBe(400);
    const limited = await api.client().post(`/api/invites/${token}/guest`, { displayName: "C" }, from("203.0.113.9"));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await errorCode(limited)).toBe("RATE_LIMITED");
    expect((await api.client().post(`/api/invites/${token}/guest`, { displayName: "D" }, from("203.0.113.10"))).status).toBe(201);
  });
});
