import { CloseCode, PROTOCOL_VERSION } from "@sync-beats/protocol";
import { signTicket } from "@sync-beats/ticket";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { ticketVerifier } from "../../src/identity.js";
import { createHarness } from "../harness.js";

/**
 * Attacks on the sync server, each refused (SECURITY.md maps threats to these ids). Identity
 * comes from API-signed tickets here, as in production: the harness runs `ticketVerifier`.
 */

const secret = "hardening-test-secret-0123456789";
const ROOM = "ROOM42";
const track = { audioUrl: "/api/tracks/1/audio", duration: 120_000, title: "Song" };
const hostClaims = { userId: "alice", name: "Alice", roomCode: ROOM, role: "host" as const, canControl: true };
const guestClaims = { userId: "bob", name: "Bob", roomCode: ROOM, role: "guest" as const, canControl: false };

type Harness = ReturnType<typeof createHarness>;
type Client = ReturnType<Harness["connect"]>;

function ticketHarness() {
  return createHarness({ verifyIdentity: ticketVerifier(secret), config: { firstJoinerHosts: false } });
}

async function joinWith(harness: Harness, ticket: string | undefined, extra: object = {}): Promise<Client> {
  const client = harness.connect();
  await client.send({ type: "join", roomCode: ROOM, protocolVersion: PROTOCOL_VERSION, ticket, ...extra });
  return client;
}

/** A room with a playing track, its host and one guest. */
async function playingRoom() {
  const harness = ticketHarness();
  const host = await joinWith(harness, signTicket(hostClaims, secret, harness.clock.now()));
  const guest = await joinWith(harness, signTicket(guestClaims, secret, harness.clock.now()));
  await host.send({ type: "PLAY", ...track });
  await harness.advance(3_200);
  host.socket.clear();
  guest.socket.clear();
  return { harness, host, guest };
}

/** What a late joiner would be told about the room: host and PLAY_SYNC, the state every attack must leave alone. */
async function roomView(harness: Harness) {
  const probe = await joinWith(harness, signTicket({ ...guestClaims, userId: "probe", name: "Probe" }, secret, harness.clock.now()));
  const joined = probe.socket.last("joined");
  const sync = probe.socket.ofType("PLAY_SYNC")[0];
  await probe.close();
  return { hostId: joined.hostId, sync: sync && { audioUrl: sync.audioUrl, positionMs: sync.positionMs, isPaused: sync.isPaused } };
}

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
    "a guest ticket whose payload was edited to role host",
    (now) => {
      const [, signature] = signTicket(guestClaims, secret, now).split(".");
      return `${b64({ ...guestClaims, role: "host", canControl: true, exp: now + 60_000, jti: "edited-jti-0001" })}.${signature}`;
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
      const [, signature] = signTicket(guestClaims, secret, now).split(".");
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
    expect(client.socket.received.map((m) => m.type === "error" && m.code)).toEqual(["UNAUTHORIZED"]);
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

  it("[SEC-S5] userId, name and role claimed in the join are ignored: identity is the ticket's", async () => {
    const { harness, guest } = await playingRoom();
    const spoof = await joinWith(harness, signTicket({ ...guestClaims, userId: "carol", name: "Carol" }, secret, harness.clock.now()), {
      userId: "alice",
      name: "Alice",
      role: "host",
      isHost: true,
      canControl: true,
    });
    expect(spoof.socket.last("joined")).toMatchObject({ userId: "carol", isHost: false, hostId: "alice" });
    expect(guest.socket.last("user_joined")).toMatchObject({ userId: "carol", name: "Carol" });
    await spoof.send({ type: "PAUSE" });
    expect(spoof.socket.last("error").code).toBe("NOT_HOST");
  });

  it("[SEC-S6] a second join on a joined connection, even with a host ticket, changes nothing and burns no ticket", async () => {
    const { harness, guest } = await playingRoom();
    const hostTicket = signTicket({ ...hostClaims, jti: "second-join-jti" }, secret, harness.clock.now());
    await guest.send({ type: "join", roomCode: ROOM, protocolVersion: PROTOCOL_VERSION, ticket: hostTicket });
    expect(guest.socket.last("error").code).toBe("ALREADY_JOINED");
    await guest.send({ type: "PAUSE" });
    expect(guest.socket.last("error").code).toBe("NOT_HOST");
    const rightful = await joinWith(harness, hostTicket);
    expect(rightful.socket.last("joined").isHost).toBe(true);
  });

  it("[SEC-S7] dev identity (client-claimed userId) refuses to start in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production", SYNC_DEV_IDENTITY: "1" })).toThrow(/refused in production/);
  });
});

const controls = [
  { type: "PLAY", ...track, audioUrl: "/api/tracks/9/audio" },
  { type: "PAUSE" },
  { type: "RESUME" },
  { type: "SEEK", seekPositionMs: 90_000 },
  { type: "TRACK_CHANGE", trackData: { ...track, audioUrl: "/api/tracks/9/audio" } },
];

describe("host-only control", () => {
  it.each(controls)("[SEC-S8] a guest's $type is refused with NOT_HOST and nobody hears of it", async (command) => {
    const { harness, host, guest } = await playingRoom();
    const before = await roomView(harness);
    host.socket.clear();
    guest.socket.clear();
    await guest.send(command);
    await guest.send({ ...command, isHost: true, role: "host", userId: "alice" });
    expect(guest.socket.received.map((m) => m.type === "error" && m.code)).toEqual(["NOT_HOST", "NOT_HOST"]);
    expect(host.socket.received.filter((m) => m.type !== "user_joined" && m.type !== "user_left")).toEqual([]);
    expect(await roomView(harness)).toEqual(before);
  });

  it("[SEC-S16][B13] revoking guest control reaches a guest already connected with a granting ticket; only the host may revoke", async () => {
    const { harness, host } = await playingRoom();
    const trusted = await joinWith(harness, signTicket({ ...guestClaims, userId: "carol", name: "Carol", canControl: true }, secret, harness.clock.now()));
    await trusted.send({ type: "PAUSE" });
    expect(trusted.socket.ofType("error")).toEqual([]);
    expect(host.socket.ofType("PAUSE")).toHaveLength(1);

    await trusted.send({ type: "room_settings", guestsCanControl: false });
    expect(trusted.socket.last("error").code).toBe("NOT_HOST");
    await host.send({ type: "room_settings", guestsCanControl: false });
    expect(trusted.socket.last("room_settings")).toEqual({ type: "room_settings", guestsCanControl: false });
    trusted.socket.clear();
    await trusted.send({ type: "RESUME" });
    expect(trusted.socket.received.map((m) => m.type === "error" && m.code)).toEqual(["NOT_HOST"]);
    const late = await joinWith(harness, signTicket({ ...guestClaims, userId: "dan", name: "Dan" }, secret, harness.clock.now()));
    expect(late.socket.last("joined").guestsCanControl).toBe(false);

    await host.send({ type: "room_settings", guestsCanControl: true });
    await trusted.send({ type: "RESUME" });
    expect(trusted.socket.ofType("RESUME")).toHaveLength(1);
  });

  it("[SEC-S17][B13] allowing guest control never widens a ticket: a guest whose ticket does not grant it stays refused", async () => {
    const { host, guest } = await playingRoom();
    await host.send({ type: "room_settings", guestsCanControl: false });
    await host.send({ type: "room_settings", guestsCanControl: true });
    guest.socket.clear();
    await guest.send({ type: "PAUSE" });
    expect(guest.socket.received.map((m) => m.type === "error" && m.code)).toEqual(["NOT_HOST"]);
  });

  it("[SEC-S18][B13] a guest promoted to host may revoke guest control but not allow it again", async () => {
    const harness = createHarness({ verifyIdentity: ticketVerifier(secret), config: { firstJoinerHosts: false, hostGraceMs: 1_000 } });
    const host = await joinWith(harness, signTicket(hostClaims, secret, harness.clock.now()));
    const heir = await joinWith(harness, signTicket({ ...guestClaims, canControl: true }, secret, harness.clock.now()));
    await host.close();
    await harness.advance(1_500);
    expect(heir.socket.last("host_changed")).toEqual({ type: "host_changed", hostId: "bob" });
    await heir.send({ type: "room_settings", guestsCanControl: false });
    expect(heir.socket.last("room_settings")).toEqual({ type: "room_settings", guestsCanControl: false });
    await heir.send({ type: "room_settings", guestsCanControl: true });
    expect(heir.socket.last("error").code).toBe("NOT_HOST");
  });

  it("[SEC-S9] a guest cannot take the host role over the socket (no such message: UNKNOWN_TYPE)", async () => {
    const { harness, guest } = await playingRoom();
    for (const type of ["host_changed", "HOST_TRANSFER", "transfer_host", "joined"]) {
      await guest.send({ type, hostId: "bob", userId: "bob", isHost: true });
      expect(guest.socket.last("error").code).toBe("UNKNOWN_TYPE");
    }
    expect((await roomView(harness)).hostId).toBe("alice");
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
    const { harness, host, guest } = await playingRoom();
    const before = await roomView(harness);
    await host.send({ type: "PLAY", ...track, audioUrl });
    await host.send({ type: "TRACK_CHANGE", trackData: { ...track, audioUrl } });
    expect(host.socket.ofType("error").map((m) => m.code)).toEqual(["INVALID_MESSAGE", "INVALID_MESSAGE"]);
    expect(guest.socket.received.filter((m) => m.type === "PLAY" || m.type === "TRACK_CHANGE")).toEqual([]);
    expect(await roomView(harness)).toEqual(before);
  });

  it("[SEC-S11] __proto__ / constructor / prototype keys in every message pollute nothing and grant nothing", async () => {
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const { harness, host, guest } = await playingRoom();
    const poison = { isHost: true, claimsHost: true, canControl: true, role: "host", polluted: "yes", rttMs: 60_000, audioUrl: "javascript:alert(1)" };
    const frames = [
      { type: "join", roomCode: ROOM, protocolVersion: PROTOCOL_VERSION },
      { type: "PLAY", ...track },
      { type: "PAUSE" },
      { type: "RESUME" },
      { type: "SEEK", seekPositionMs: 1_000 },
      { type: "TRACK_CHANGE", trackData: track },
      { type: "time_ping", t0: 1 },
      { type: "sync_check", clientPosMs: 1, clientTimeMs: harness.clock.now() },
    ];
    const text = (frame: object, key: string) => JSON.stringify(frame).replace(/^\{/, `{${JSON.stringify(key)}:${JSON.stringify(poison)},`);
    for (const frame of frames) {
      for (const key of ["__proto__", "constructor", "prototype"]) {
        await guest.send(text(frame, key));
        if (frame.type === "TRACK_CHANGE") await guest.send(JSON.stringify({ type: "TRACK_CHANGE", trackData: JSON.parse(text(track, key)) }));
      }
    }
    // A stranger whose join carries the poison in every position gets no more than its ticket says.
    const stranger = await joinWith(harness, undefined);
    expect(stranger.socket.closed?.code).toBe(CloseCode.UNAUTHORIZED);
    const carol = harness.connect();
    await carol.send(text({ type: "join", roomCode: ROOM, protocolVersion: PROTOCOL_VERSION, ticket: signTicket({ ...guestClaims, userId: "carol" }, secret, harness.clock.now()) }, "__proto__"));
    expect(carol.socket.last("joined")).toMatchObject({ userId: "carol", isHost: false });

    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(guest.socket.ofType("error").every((m) => m.code !== "INTERNAL")).toBe(true);
    expect(guest.socket.ofType("error").filter((m) => m.code === "NOT_HOST")).toHaveLength(18);
    // The poisoned rttMs did not stretch the room's lead time: the host's next command still leads by 200 ms.
    await host.send({ type: "SEEK", seekPositionMs: 5_000 });
    expect(host.socket.last("SEEK").atServerMs - harness.clock.now()).toBe(200);
  });

  it("[SEC-S12] every message type before join is refused with NOT_JOINED and opens no room", async () => {
    const harness = ticketHarness();
    const client = harness.connect();
    for (const frame of [...controls, { type: "time_ping", t0: 1 }, { type: "sync_check", clientPosMs: 1, clientTimeMs: harness.clock.now() }]) {
      await client.send(frame);
    }
    expect(client.socket.received.map((m) => m.type === "error" && m.code)).toEqual(Array(7).fill("NOT_JOINED"));
    expect(client.socket.closed).toBeNull();
    expect(harness.registry.size).toBe(0);
  });

  it("[SEC-S13] a guest's flood is cut at the burst, answered with RATE_LIMITED, and does not reach the room", async () => {
    const { harness, host, guest } = await playingRoom();
    for (let index = 0; index < 500; index++) await guest.send({ type: "SEEK", seekPositionMs: index });
    const codes = guest.socket.ofType("error").map((m) => m.code);
    expect(codes.filter((code) => code === "NOT_HOST")).toHaveLength(80);
    expect(codes.filter((code) => code === "RATE_LIMITED")).toHaveLength(420);
    expect(host.socket.received.filter((m) => m.type === "SEEK")).toEqual([]);
    await harness.advance(1_000);
    await host.send({ type: "time_ping", t0: 3 });
    expect(host.socket.last("time_pong").t0).toBe(3);
  });

  it("[SEC-S14] a host's flood of commands is cut at the burst: at most 80 broadcasts, then 40 per second", async () => {
    const { harness, host, guest } = await playingRoom();
    for (let index = 0; index < 300; index++) await host.send({ type: "SEEK", seekPositionMs: index });
    expect(guest.socket.ofType("SEEK")).toHaveLength(80);
    await harness.advance(1_000);
    for (let index = 0; index < 300; index++) await host.send({ type: "SEEK", seekPositionMs: index });
    expect(guest.socket.ofType("SEEK")).toHaveLength(120);
  });

  it("[SEC-S15] frames over the byte limit are refused before parsing, counting UTF-8 bytes, not characters", async () => {
    const { guest } = await playingRoom();
    // 6,000 characters of "€" are 18,000 bytes: over 16 KiB though well under it in characters.
    await guest.send(JSON.stringify({ type: "time_ping", t0: 1, pad: "€".repeat(6_000) }));
    expect(guest.socket.last("error").code).toBe("FRAME_TOO_LARGE");
    expect(guest.socket.closed).toBeNull();
  });
});
