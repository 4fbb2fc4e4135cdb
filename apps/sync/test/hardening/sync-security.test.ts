import { CloseCode, PROTOCOL_VERSIONS } from "@sync-beats/protocol";
import { signTicket } from "@sync-beats/ticket";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { codes, controls, facts, hostClaims, joinWith, listenerClaims, playingRoom, ROOM, roomView, secret, ticketHarness, track } from "./ticket-room.js";

/**
 * Attacks on the sync server, each refused (SECURITY.md maps threats to these ids). Identity
 * comes from API-signed tickets here, as in production: the harness runs `ticketVerifier`.
 * Attacks on who may control playback are in sync-control.test.ts.
 */

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

const forgeries: [string, (now: number) => string | undefined][] = [
  ["no ticket at all", () => undefined],
  ["a ticket signed with another secret", (now) => signTicket(hostClaims, "attacker-chosen-secret-000000000", now)],
  ["a ticket signed with an empty secret", (now) => signTicket(hostClaims, "", now)],
  ["an expired ticket", (now) => signTicket({ ...hostClaims, exp: now - 1 }, secret, now - 61_000)],
  ["a ticket expiring this very millisecond", (now) => signTicket({ ...hostClaims, exp: now }, secret, now - 60_000)],
  ["another room's ticket", (now) => signTicket({ ...hostClaims, roomCode: "OTHER1" }, secret, now)],
  [
    "a listener ticket whose payload was edited to make it the owner",
    (now) => {
      const [, signature] = signTicket(listenerClaims, secret, now).split(".");
      const room = { ...facts, ownerId: "bob", listenersCanControl: true, version: 99 };
      return `${b64({ ...listenerClaims, room, exp: now + 60_000, jti: "edited-jti-0001" })}.${signature}`;
    },
  ],
  [
    "a ticket with one signature character changed",
    (now) => {
      const ticket = signTicket(hostClaims, secret, now);
      const last = ticket.at(-2) === "A" ? "B" : "A";
      return ticket.slice(0, -2) + last + ticket.at(-1);
    },
  ],
  [
    "one ticket's payload with another ticket's signature",
    (now) => {
      const [payload] = signTicket(hostClaims, secret, now).split(".");
      const [, signature] = signTicket(listenerClaims, secret, now).split(".");
      return `${payload}.${signature}`;
    },
  ],
  ["a ticket with a third segment", (now) => `${signTicket(hostClaims, secret, now)}.extra`],
  ["an unsigned ticket (payload only, alg none style)", (now) => `${b64({ ...hostClaims, exp: now + 60_000, jti: "none-jti-00001" })}.`],
  ["a lone dot", () => "."],
  ["base64 garbage", () => "eyJub3QiOiJqc29uIn0.AAAA"],
  ["unicode garbage", () => "🎵.🎵"],
];

describe("tickets", () => {
  it.each(forgeries)("[SEC-S1] %s is refused with UNAUTHORIZED, close 4001, no room created", async (_label, make) => {
    const harness = ticketHarness();
    const client = await joinWith(harness, make(harness.clock.now()), { userId: "alice" });
    expect(codes(client.socket.received)).toEqual(["UNAUTHORIZED"]);
    expect(client.socket.closed?.code).toBe(CloseCode.UNAUTHORIZED);
    expect(harness.registry.size).toBe(0);
  });

  it("[SEC-S2] a ticket longer than the protocol allows is refused without touching the verifier", async () => {
    const harness = ticketHarness();
    const client = await joinWith(harness, "a".repeat(2_049));
    expect(client.socket.last("error").code).toBe("INVALID_MESSAGE");
    expect(harness.registry.size).toBe(0);
  });

  it("[SEC-S3] a used ticket is refused on replay, also after its first connection closed", async () => {
    const harness = ticketHarness();
    const ticket = signTicket(hostClaims, secret, harness.clock.now());
    const first = await joinWith(harness, ticket);
    expect(first.socket.last("joined").userId).toBe("alice");
    const replay = await joinWith(harness, ticket);
    expect(replay.socket.closed?.code).toBe(CloseCode.UNAUTHORIZED);
    await first.close();
    await harness.advance(30_000);
    const later = await joinWith(harness, ticket);
    expect(later.socket.last("error").code).toBe("UNAUTHORIZED");
    expect(later.socket.closed?.code).toBe(CloseCode.UNAUTHORIZED);
  });

  it("[SEC-S4] a ticket that was valid when issued is refused once its 60 s are over", async () => {
    const harness = ticketHarness();
    const ticket = signTicket(hostClaims, secret, harness.clock.now());
    await harness.advance(60_000);
    const client = await joinWith(harness, ticket);
    expect(client.socket.last("error").message).toMatch(/expired/);
    expect(client.socket.closed?.code).toBe(CloseCode.UNAUTHORIZED);
  });

  it("[SEC-S5] userId, name, role and room facts claimed in the join are ignored: identity is the ticket's", async () => {
    const { harness, listener } = await playingRoom();
    const spoof = await joinWith(harness, signTicket({ ...listenerClaims, userId: "carol", name: "Carol" }, secret, harness.clock.now()), {
      userId: "alice",
      name: "Alice",
      role: "host",
      isHost: true,
      canControl: true,
      room: { ...facts, ownerId: "carol", listenersCanControl: true, version: 99 },
    });
    expect(spoof.socket.last("joined")).toMatchObject({ userId: "carol", role: "listener", hostId: "alice", room: { ownerId: "alice", listenersCanControl: false } });
    expect(listener.socket.last("user_joined")).toMatchObject({ userId: "carol", name: "Carol" });
    await spoof.send({ type: "PAUSE", id: "pause" });
    expect(spoof.socket.last("command_refused").code).toBe("NOT_HOST");
  });

  it("[SEC-S6] a second join on a joined connection, even with a host ticket, changes nothing and burns no ticket", async () => {
    const { harness, listener } = await playingRoom();
    const hostTicket = signTicket({ ...hostClaims, jti: "second-join-jti" }, secret, harness.clock.now());
    await listener.send({ type: "join", roomCode: ROOM, versions: PROTOCOL_VERSIONS, ticket: hostTicket });
    expect(listener.socket.last("error").code).toBe("ALREADY_JOINED");
    await listener.send({ type: "PAUSE", id: "pause" });
    expect(listener.socket.last("command_refused").code).toBe("NOT_HOST");
    const rightful = await joinWith(harness, hostTicket);
    expect(rightful.socket.last("joined")).toMatchObject({ userId: "alice", role: "host", hostId: "alice" });
    expect(rightful.socket.last("joined").participants.find((p) => p.userId === "alice")?.isOwner).toBe(true);
  });

  it("[SEC-S7] dev identity (client-claimed userId) refuses to start in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production", SYNC_DEV_IDENTITY: "1" })).toThrow(/refused in production/);
  });
});


describe("malicious payloads", () => {
  const evilUrls = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:audio/wav;base64,UklGRg==",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/track.mp3",
    "blob:https://evil.example/1",
  ];

  it.each(evilUrls)("[SEC-S10] audio URL %j is refused in PLAY and TRACK_CHANGE; the room is unchanged", async (audioUrl) => {
    const { harness, host, listener } = await playingRoom();
    const before = await roomView(harness);
    await host.send({ type: "PLAY", id: "play", ...track, audioUrl });
    await host.send({ type: "TRACK_CHANGE", id: "change", trackData: { ...track, audioUrl } });
    expect(host.socket.ofType("command_refused").map((m) => [m.id, m.code])).toEqual([
      ["play", "INVALID_MESSAGE"],
      ["change", "INVALID_MESSAGE"],
    ]);
    expect(listener.socket.received.filter((m) => m.type === "PLAY" || m.type === "TRACK_CHANGE")).toEqual([]);
    expect(await roomView(harness)).toEqual(before);
  });

  it("[SEC-S11] __proto__ / constructor / prototype keys in every message pollute nothing and grant nothing", async () => {
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const { harness, host, listener } = await playingRoom();
    const poison = { isHost: true, claimsHost: true, canControl: true, role: "host", polluted: "yes", rttMs: 60_000, audioUrl: "javascript:alert(1)" };
    const frames = [
      { type: "join", roomCode: ROOM, versions: PROTOCOL_VERSIONS },
      { type: "PLAY", id: "c1", ...track },
      { type: "PAUSE", id: "c2" },
      { type: "RESUME", id: "c3" },
      { type: "SEEK", id: "c4", seekPositionMs: 1_000 },
      { type: "TRACK_CHANGE", id: "c5", trackData: track },
      { type: "time_ping", t0: 1 },
      { type: "sync_check", clientPosMs: 1, clientTimeMs: harness.clock.now() },
    ];
    const text = (frame: object, key: string) => JSON.stringify(frame).replace(/^\{/, `{${JSON.stringify(key)}:${JSON.stringify(poison)},`);
    for (const frame of frames) {
      for (const key of ["__proto__", "constructor", "prototype"]) {
        await listener.send(text(frame, key));
        if (frame.type === "TRACK_CHANGE") await listener.send(JSON.stringify({ type: "TRACK_CHANGE", id: "c6", trackData: JSON.parse(text(track, key)) }));
      }
    }
    // A stranger whose join carries the poison in every position gets no more than its ticket says.
    const stranger = await joinWith(harness, undefined);
    expect(stranger.socket.closed?.code).toBe(CloseCode.UNAUTHORIZED);
    const carol = harness.connect();
    await carol.send(text({ type: "join", roomCode: ROOM, versions: PROTOCOL_VERSIONS, ticket: signTicket({ ...listenerClaims, userId: "carol" }, secret, harness.clock.now()) }, "__proto__"));
    expect(carol.socket.last("joined")).toMatchObject({ userId: "carol", role: "listener" });

    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(codes(listener.socket.received)).not.toContain("INTERNAL");
    expect(listener.socket.ofType("command_refused").filter((m) => m.code === "NOT_HOST")).toHaveLength(18);
    // A client-reported rttMs is refused and did not stretch the room's lead time: the host's next command still leads by 200 ms.
    await host.send({ type: "SEEK", id: "seek", seekPositionMs: 5_000 });
    expect(host.socket.last("SEEK").atServerMs - harness.clock.now()).toBe(200);
  });

  it("[SEC-S12] every message type before join is refused with NOT_JOINED and opens no room", async () => {
    const harness = ticketHarness();
    const client = harness.connect();
    for (const frame of [...controls, { type: "time_ping", t0: 1 }, { type: "sync_check", clientPosMs: 1, clientTimeMs: harness.clock.now() }]) {
      await client.send(frame);
    }
    expect(codes(client.socket.received)).toEqual(Array(7).fill("NOT_JOINED"));
    expect(client.socket.ofType("command_refused").map((m) => m.id)).toEqual(controls.map((command) => command.id));
    expect(client.socket.closed).toBeNull();
    expect(harness.registry.size).toBe(0);
  });

  it("[SEC-S13] a listener's flood is cut at the burst, answered with RATE_LIMITED, and does not reach the room", async () => {
    const { harness, host, listener } = await playingRoom();
    for (let index = 0; index < 500; index++) await listener.send({ type: "SEEK", id: "seek", seekPositionMs: index });
    const refusals = codes(listener.socket.received);
    expect(refusals.filter((code) => code === "NOT_HOST")).toHaveLength(80);
    expect(refusals.filter((code) => code === "RATE_LIMITED")).toHaveLength(420);
    expect(host.socket.received.filter((m) => m.type === "SEEK")).toEqual([]);
    await harness.advance(1_000);
    await host.send({ type: "time_ping", t0: 3 });
    expect(host.socket.last("time_pong").t0).toBe(3);
  });

  it("[SEC-S14] a host's flood of commands is cut at the burst: at most 80 broadcasts, then 40 per second", async () => {
    const { harness, host, listener } = await playingRoom();
    for (let index = 0; index < 300; index++) await host.send({ type: "SEEK", id: "seek", seekPositionMs: index });
    expect(listener.socket.ofType("SEEK")).toHaveLength(80);
    await harness.advance(1_000);
    for (let index = 0; index < 300; index++) await host.send({ type: "SEEK", id: "seek", seekPositionMs: index });
    expect(listener.socket.ofType("SEEK")).toHaveLength(120);
  });

  it("[SEC-S15] frames over the byte limit are refused before parsing, counting UTF-8 bytes, not characters", async () => {
    const { listener } = await playingRoom();
    // 6,000 characters of "€" are 18,000 bytes: over 16 KiB though well under it in characters.
    await listener.send(JSON.stringify({ type: "time_ping", t0: 1, pad: "€".repeat(6_000) }));
    expect(listener.socket.last("error").code).toBe("FRAME_TOO_LARGE");
    expect(listener.socket.closed).toBeNull();
  });
});
