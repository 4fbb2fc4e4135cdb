import { CloseCode, PROTOCOL_VERSION } from "@sync-beats/protocol";
import { signTicket } from "@sync-beats/ticket";
import { describe, expect, it } from "vitest";
import { createHarness } from "../test/harness.js";
import { ticketVerifier } from "./identity.js";

const track = { audioUrl: "/a.wav", duration: 60_000 };

describe("malformed input", () => {
  it.each([
    ["invalid JSON", "{not json", "BAD_JSON"],
    ["an unknown type", JSON.stringify({ type: "EXPLODE" }), "UNKNOWN_TYPE"],
    ["a wrong field type", JSON.stringify({ type: "SEEK", seekPositionMs: "ten" }), "INVALID_MESSAGE"],
    ["a missing field", JSON.stringify({ type: "sync_check", clientPosMs: 1 }), "INVALID_MESSAGE"],
    ["a non-object", "null", "INVALID_MESSAGE"],
    ["an oversized frame", JSON.stringify({ type: "time_ping", t0: 1, pad: "x".repeat(17_000) }), "FRAME_TOO_LARGE"],
    ["a time_ping with a string t0", JSON.stringify({ type: "time_ping", t0: "1" }), "INVALID_MESSAGE"],
  ])("[SS20] %s gets %s; the connection and the room live on", async (_label, frame, code) => {
    const { clock, advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    const guest = await joinAs("bob");
    await host.send({ type: "PLAY", ...track });
    await advance(1_200);
    await host.send(frame);
    expect(host.socket.last("error").code).toBe(code);
    expect(host.socket.closed).toBeNull();
    await host.send({ type: "SEEK", seekPositionMs: 30_000 });
    expect(guest.socket.last("SEEK").seekPositionMs).toBe(30_000);
  });

  it("[SS21] messages before join are refused with NOT_JOINED; a second join with ALREADY_JOINED", async () => {
    const { connect } = createHarness();
    const client = connect();
    await client.send({ type: "time_ping", t0: 1 });
    expect(client.socket.last("error").code).toBe("NOT_JOINED");
    await client.send({ type: "PAUSE" });
    expect(client.socket.last("error").code).toBe("NOT_JOINED");
    await client.send({ type: "join", roomCode: "ROOM42", protocolVersion: PROTOCOL_VERSION, userId: "a" });
    await client.send({ type: "join", roomCode: "ROOM43", protocolVersion: PROTOCOL_VERSION, userId: "a" });
    expect(client.socket.last("error").code).toBe("ALREADY_JOINED");
    expect(client.socket.closed).toBeNull();
  });

  it("[SS22] a protocol version mismatch closes with 4000 and a reason", async () => {
    const { connect, registry } = createHarness();
    const client = connect();
    await client.send({ type: "join", roomCode: "ROOM42", protocolVersion: PROTOCOL_VERSION + 1, userId: "a" });
    expect(client.socket.last("error").code).toBe("PROTOCOL_MISMATCH");
    expect(client.socket.closed?.code).toBe(CloseCode.PROTOCOL_MISMATCH);
    expect(registry.size).toBe(0);
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
    await client.send({ type: "join", roomCode: "ROOM42", protocolVersion: PROTOCOL_VERSION, ticket, ...extra });
    return client;
  }

  const claims = { userId: "alice", name: "Alice", roomCode: "ROOM42", role: "host" as const, canControl: true };

  it("[SS24] identity and host role come from the ticket, not from the message", async () => {
    const harness = ticketHarness();
    const host = await joinWith(harness, signTicket(claims, secret, harness.clock.now()), { userId: "mallory" });
    expect(host.socket.last("joined")).toMatchObject({ userId: "alice", isHost: true });
    const guestTicket = signTicket({ ...claims, userId: "bob", name: "Bob", role: "guest", canControl: false }, secret, harness.clock.now());
    const guest = await joinWith(harness, guestTicket);
    expect(guest.socket.last("joined")).toMatchObject({ userId: "bob", isHost: false, hostId: "alice" });
    await guest.send({ type: "PLAY", ...track });
    expect(guest.socket.last("error").code).toBe("NOT_HOST");
  });

  it("[SS25] a guest whose ticket allows control may control", async () => {
    const harness = ticketHarness();
    await joinWith(harness, signTicket(claims, secret, harness.clock.now()));
    const dj = await joinWith(harness, signTicket({ ...claims, userId: "dj", role: "guest", canControl: true }, secret, harness.clock.now()));
    await dj.send({ type: "PLAY", ...track });
    expect(dj.socket.last("PLAY").audioUrl).toBe("/a.wav");
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

  it("[SS29][B8] guests already in a host-less room hear host_changed when the host arrives", async () => {
    const harness = ticketHarness();
    const guest = await joinWith(harness, signTicket({ ...claims, userId: "bob", role: "guest", canControl: false }, secret, harness.clock.now()));
    expect(guest.socket.last("joined").hostId).toBeNull();
    const host = await joinWith(harness, signTicket(claims, secret, harness.clock.now()));
    expect(guest.socket.last("host_changed")).toEqual({ type: "host_changed", hostId: "alice" });
    expect(host.socket.last("joined")).toMatchObject({ isHost: true, hostId: "alice" });
  });

  it("[SS28] with tickets, a guest alone in a room does not become host", async () => {
    const harness = ticketHarness();
    const guest = await joinWith(harness, signTicket({ ...claims, role: "guest", canControl: false }, secret, harness.clock.now()));
    expect(guest.socket.last("joined")).toMatchObject({ isHost: false, hostId: null });
  });
});
