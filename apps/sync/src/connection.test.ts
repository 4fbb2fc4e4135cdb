import { CloseCode, PROTOCOL_VERSIONS } from "@sync-beats/protocol";
import { signTicket } from "@sync-beats/ticket";
import { describe, expect, it } from "vitest";
import { createHarness } from "../test/harness.js";
import { ticketVerifier } from "./identity.js";

const track = { audioUrl: "/a.wav", duration: 60_000 };

describe("malformed input", () => {
  it.each([
    ["invalid JSON", "{not json", "BAD_JSON"],
    ["an unknown type", JSON.stringify({ type: "EXPLODE" }), "UNKNOWN_TYPE"],
    ["a wrong field type in a command without an id", JSON.stringify({ type: "SEEK", seekPositionMs: "ten" }), "INVALID_MESSAGE"],
    ["an unreadable command id", JSON.stringify({ type: "SEEK", id: "no spaces", seekPositionMs: 1 }), "INVALID_MESSAGE"],
    ["a missing field", JSON.stringify({ type: "sync_check", clientPosMs: 1 }), "INVALID_MESSAGE"],
    ["a non-object", "null", "INVALID_MESSAGE"],
    ["an oversized frame", JSON.stringify({ type: "time_ping", t0: 1, pad: "x".repeat(17_000) }), "FRAME_TOO_LARGE"],
    ["a time_ping with a string t0", JSON.stringify({ type: "time_ping", t0: "1" }), "INVALID_MESSAGE"],
    ["a time_ping with a v1 rttMs", JSON.stringify({ type: "time_ping", t0: 1, rttMs: 5 }), "INVALID_MESSAGE"],
    ["a removed room_settings", JSON.stringify({ type: "room_settings", guestsCanControl: false }), "UNKNOWN_TYPE"],
  ])("[SS20] %s gets %s; the connection and the room live on", async (_label, frame, code) => {
    const { clock, advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    const guest = await joinAs("bob");
    await host.send({ type: "PLAY", id: "play", ...track });
    await advance(1_200);
    await host.send(frame);
    expect(host.socket.last("error").code).toBe(code);
    expect(host.socket.ofType("command_refused")).toHaveLength(0);
    expect(host.socket.closed).toBeNull();
    await host.send({ type: "SEEK", id: "seek", seekPositionMs: 30_000 });
    expect(guest.socket.last("SEEK").seekPositionMs).toBe(30_000);
  });

  it("[SS21] messages before join are refused with NOT_JOINED; a second join with ALREADY_JOINED", async () => {
    const { connect } = createHarness();
    const client = connect();
    await client.send({ type: "time_ping", t0: 1 });
    expect(client.socket.last("error").code).toBe("NOT_JOINED");
    await client.send({ type: "PAUSE", id: "pause" });
    expect(client.socket.last("command_refused")).toMatchObject({ id: "pause", code: "NOT_JOINED" });
    await client.send({ type: "join", roomCode: "ROOM42", versions: PROTOCOL_VERSIONS, userId: "a" });
    await client.send({ type: "join", roomCode: "ROOM43", versions: PROTOCOL_VERSIONS, userId: "a" });
    expect(client.socket.last("error").code).toBe("ALREADY_JOINED");
    expect(client.socket.closed).toBeNull();
  });

  it("[SS22][PV1][PV3] a v1 client is told CLIENT_TOO_OLD with the server's versions, then closed with 4000 and a reason", async () => {
    const { connect, registry } = createHarness();
    const client = connect();
    await client.send({ type: "join", roomCode: "ROOM42", protocolVersion: 1, userId: "a" });
    expect(client.socket.received).toEqual([
      { type: "error", code: "CLIENT_TOO_OLD", message: expect.any(String), versions: PROTOCOL_VERSIONS },
    ]);
    expect(client.socket.closed?.code).toBe(CloseCode.PROTOCOL_MISMATCH);
    expect(client.socket.closed?.reason).not.toBe("");
    expect(registry.size).toBe(0);
  });

  it("[SS22][PV4] a client whose range lies above the server's is told SERVER_TOO_OLD, then closed with 4000", async () => {
    const { connect, registry } = createHarness();
    const client = connect();
    const above = { min: PROTOCOL_VERSIONS.max + 1, max: PROTOCOL_VERSIONS.max + 3 };
    await client.send({ type: "join", roomCode: "ROOM42", versions: above, userId: "a" });
    expect(client.socket.last("error")).toMatchObject({ code: "SERVER_TOO_OLD", versions: PROTOCOL_VERSIONS });
    expect(client.socket.closed?.code).toBe(CloseCode.PROTOCOL_MISMATCH);
    expect(registry.size).toBe(0);
  });

  it("[PV2] an overlapping range joins with the newest version both speak", async () => {
    const { connect } = createHarness();
    const client = connect();
    await client.send({ type: "join", roomCode: "ROOM42", versions: { min: 1, max: PROTOCOL_VERSIONS.max + 5 }, userId: "a" });
    expect(client.socket.last("joined").protocolVersion).toBe(PROTOCOL_VERSIONS.max);
    expect(client.socket.closed).toBeNull();
  });

  it("[PV1] a join that offers no version at all is INVALID_MESSAGE and may be retried", async () => {
    const { connect } = createHarness();
    const client = connect();
    await client.send({ type: "join", roomCode: "ROOM42", userId: "a" });
    expect(client.socket.last("error").code).toBe("INVALID_MESSAGE");
    expect(client.socket.closed).toBeNull();
    await client.send({ type: "join", roomCode: "ROOM42", versions: PROTOCOL_VERSIONS, userId: "a" });
    expect(client.socket.last("joined").userId).toBe("a");
  });

  it("[PV5] a malformed command whose id is readable is refused with that id; nothing is broadcast", async () => {
    const { advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    const guest = await joinAs("bob");
    await host.send({ type: "PLAY", id: "play", ...track });
    await advance(1_000);
    guest.socket.clear();
    await host.send({ type: "SEEK", id: "seek-9", seekPositionMs: "ten" });
    expect(host.socket.last("command_refused")).toEqual({ type: "command_refused", id: "seek-9", code: "INVALID_MESSAGE", message: expect.stringContaining("SEEK") });
    expect(guest.socket.received).toEqual([]);
  });

  it("[SS23] a flood is rate limited with RATE_LIMITED, then traffic flows again", async () => {
    const { clock, advance, joinAs } = createHarness();
    const client = await joinAs("alice");
    for (let index = 0; index < 100; index++) await client.send({ type: "time_ping", t0: index });
    expect(client.socket.ofType("time_pong").length).toBeLessThan(100);
    expect(client.socket.last("error").code).toBe("RATE_LIMITED");
    await advance(1_000);
    client.socket.clear();
    await client.send({ type: "time_ping", t0: 1 });
    expect(client.socket.last("time_pong").t0).toBe(1);
  });
});

describe("ticket identity", () => {
  const secret = "a-test-secret-of-sufficient-length";

  function ticketHarness() {
    return createHarness({ verifyIdentity: ticketVerifier(secret), config: { firstJoinerHosts: false } });
  }

  async function joinWith(harness: ReturnType<typeof ticketHarness>, ticket: string | undefined, extra: object = {}) {
    const client = harness.connect();
    await client.send({ type: "join", roomCode: "ROOM42", versions: PROTOCOL_VERSIONS, ticket, ...extra });
    return client;
  }

  const room = { name: "Alice's room", ownerId: "alice", listenersCanControl: false, version: 1 };
  const claims = { userId: "alice", name: "Alice", roomCode: "ROOM42", room };

  it("[SS24] identity and ownership come from the ticket, not from the message; the owner hosts on join", async () => {
    const harness = ticketHarness();
    const host = await joinWith(harness, signTicket(claims, secret, harness.clock.now()), { userId: "mallory" });
    expect(host.socket.last("joined")).toMatchObject({ userId: "alice", role: "host", room: { name: "Alice's room", ownerId: "alice", listenersCanControl: false } });
    expect(host.socket.last("joined").participants).toEqual([{ userId: "alice", name: "Alice", role: "host", isOwner: true }]);
    const listenerTicket = signTicket({ ...claims, userId: "bob", name: "Bob" }, secret, harness.clock.now());
    const listener = await joinWith(harness, listenerTicket);
    expect(listener.socket.last("joined")).toMatchObject({ userId: "bob", role: "listener", hostId: "alice" });
    await listener.send({ type: "PLAY", id: "play", ...track });
    expect(listener.socket.last("command_refused")).toMatchObject({ id: "play", code: "NOT_HOST" });
  });

  it("[SS25] a listener may control when the room's facts let listeners control", async () => {
    const harness = ticketHarness();
    const open = { ...room, listenersCanControl: true };
    await joinWith(harness, signTicket({ ...claims, room: open }, secret, harness.clock.now()));
    const dj = await joinWith(harness, signTicket({ ...claims, userId: "dj", room: open }, secret, harness.clock.now()));
    expect(dj.socket.last("joined")).toMatchObject({ role: "listener", room: { listenersCanControl: true } });
    await dj.send({ type: "PLAY", id: "play", ...track });
    expect(dj.socket.last("PLAY").audioUrl).toBe("/a.wav");
    expect(dj.socket.last("command_accepted").id).toBe("play");
  });

  it.each([
    ["no ticket", () => undefined],
    ["a forged ticket", (now: number) => signTicket(claims, "not-the-real-secret-at-all", now)],
    ["an expired ticket", (now: number) => signTicket({ ...claims, exp: now - 1 }, secret, now - 120_000)],
    ["another room's ticket", (now: number) => signTicket({ ...claims, roomCode: "OTHER1" }, secret, now)],
    ["garbage", () => "garbage"],
  ])("[SS26] %s is refused with UNAUTHORIZED and close 4001", async (_label, makeTicket) => {
    const harness = ticketHarness();
    const client = await joinWith(harness, makeTicket(harness.clock.now()), { userId: "alice" });
    expect(client.socket.last("error").code).toBe("UNAUTHORIZED");
    expect(client.socket.closed?.code).toBe(CloseCode.UNAUTHORIZED);
    expect(harness.registry.size).toBe(0);
  });

  it("[SS27] a ticket cannot be replayed", async () => {
    const harness = ticketHarness();
    const ticket = signTicket(claims, secret, harness.clock.now());
    expect((await joinWith(harness, ticket)).socket.last("joined").userId).toBe("alice");
    const replay = await joinWith(harness, ticket);
    expect(replay.socket.last("error").message).toMatch(/already used/);
    expect(replay.socket.closed?.code).toBe(CloseCode.UNAUTHORIZED);
  });

  it("[SS29][B8] listeners already in a host-less room hear host_changed when the owner arrives", async () => {
    const harness = ticketHarness();
    const listener = await joinWith(harness, signTicket({ ...claims, userId: "bob" }, secret, harness.clock.now()));
    expect(listener.socket.last("joined").hostId).toBeNull();
    const host = await joinWith(harness, signTicket(claims, secret, harness.clock.now()));
    expect(listener.socket.last("host_changed")).toEqual({ type: "host_changed", hostId: "alice" });
    expect(host.socket.last("joined")).toMatchObject({ role: "host", hostId: "alice" });
  });

  it("[SS28] with tickets, a listener alone in a room does not become host", async () => {
    const harness = ticketHarness();
    const listener = await joinWith(harness, signTicket({ ...claims, userId: "bob" }, secret, harness.clock.now()));
    expect(listener.socket.last("joined")).toMatchObject({ role: "listener", hostId: null });
  });
});
