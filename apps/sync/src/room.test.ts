import { PROTOCOL_VERSIONS } from "@sync-beats/protocol";
import { describe, expect, it } from "vitest";
import { createHarness } from "../test/harness.js";

const track = { audioUrl: "/api/tracks/1/audio", duration: 120_000, title: "Song" };

describe("join", () => {
  it("[SS1] replies joined; the first joiner hosts; others hear user_joined", async () => {
    const { joinAs } = createHarness();
    const host = await joinAs("alice");
    expect(host.socket.last("joined")).toEqual({
      type: "joined",
      role: "host",
      userId: "alice",
      hostId: "alice",
      roomCode: "ROOM42",
      protocolVersion: PROTOCOL_VERSIONS.max,
      room: { name: null, ownerId: null, listenersCanControl: false },
      serverTime: expect.any(Number),
      participants: [{ userId: "alice", name: "alice", role: "host", isOwner: false }],
      connectionId: expect.any(String),
    });
    const guest = await joinAs("bob");
    expect(guest.socket.last("joined")).toMatchObject({ role: "listener", hostId: "alice" });
    expect(guest.socket.last("joined").participants).toEqual([
      { userId: "alice", name: "alice", role: "host", isOwner: false },
      { userId: "bob", name: "bob", role: "listener", isOwner: false },
    ]);
    expect(host.socket.last("user_joined")).toMatchObject({ userId: "bob", totalClients: 2 });
    expect(guest.socket.ofType("user_joined")).toHaveLength(0);
  });

  it("[SS2] a late joiner gets PLAY_SYNC with the canonical position", async () => {
    const { clock, advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    await host.send({ type: "PLAY", id: "play", ...track });
    const start = host.socket.last("PLAY").startServerMs;
    await advance(200 + 7_250);
    const late = await joinAs("carol");
    const sync = late.socket.last("PLAY_SYNC");
    expect(sync).toMatchObject({ audioUrl: track.audioUrl, isPaused: false, atServerMs: clock.now() });
    expect(sync.positionMs).toBe(clock.now() - start);
    expect(sync.positionMs).toBe(7_250);
  });

  it("[SS36] a client joining while commands are pending is told them: it agrees with the room at every later instant", async () => {
    const { clock, advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    await host.send({ type: "PLAY", id: "play", ...track });
    await advance(5_000);
    await host.send({ type: "SEEK", id: "seek", seekPositionMs: 50_000 });
    await host.send({ type: "PAUSE", id: "pause" });
    const seekAt = host.socket.last("SEEK").atServerMs;
    expect(seekAt).toBeGreaterThan(clock.now());
    const late = await joinAs("carol");
    expect(late.socket.last("PLAY_SYNC")).toMatchObject({ isPaused: false, atServerMs: clock.now() });
    expect(late.socket.ofType("SEEK")).toEqual([{ type: "SEEK", seekPositionMs: 50_000, atServerMs: seekAt, isPaused: true }]);
    await host.send({ type: "RESUME", id: "resume" });
    await host.send({ type: "TRACK_CHANGE", id: "change", trackData: { ...track, audioUrl: "/api/tracks/2/audio" } });
    const latest = await joinAs("erin");
    const change = host.socket.last("TRACK_CHANGE").startServerMs;
    // Until the change takes effect the old track plays on, as it does for everyone already in the room.
    expect(latest.socket.last("PLAY_SYNC")).toMatchObject({ audioUrl: track.audioUrl, isPaused: false, positionMs: 4_800 });
    expect(latest.socket.ofType("SEEK")).toEqual([]);
    expect(latest.socket.ofType("PLAY")).toEqual([{ type: "PLAY", ...track, audioUrl: "/api/tracks/2/audio", startServerMs: change, positionMs: 0 }]);
  });

  it("[SS3] no PLAY_SYNC when nothing is loaded or the track ended; paused tracks sync paused", async () => {
    const { clock, advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    expect((await joinAs("bob")).socket.ofType("PLAY_SYNC")).toHaveLength(0);
    await host.send({ type: "PLAY", id: "play", ...track });
    await advance(5_000);
    await host.send({ type: "PAUSE", id: "pause" });
    await advance(1_000);
    expect((await joinAs("carol")).socket.last("PLAY_SYNC")).toMatchObject({ isPaused: true, positionMs: 5_000 });
    await host.send({ type: "RESUME", id: "resume" });
    await advance(200_000);
    expect((await joinAs("dave")).socket.ofType("PLAY_SYNC")).toHaveLength(0);
  });
});

describe("host commands", () => {
  it("[SS4][PV5] PLAY is broadcast to everyone, sender included, with one future start instant; the sender's answer names it", async () => {
    const { clock, joinAs } = createHarness();
    const host = await joinAs("alice");
    const guest = await joinAs("bob");
    const sentAt = clock.now();
    await host.send({ type: "PLAY", id: "play-1", ...track });
    const seenByHost = host.socket.last("PLAY");
    expect(seenByHost).toEqual(guest.socket.last("PLAY"));
    expect(seenByHost.startServerMs).toBe(sentAt + 200);
    expect(seenByHost.positionMs).toBe(0);
    expect(host.socket.ofType("command_accepted")).toEqual([{ type: "command_accepted", id: "play-1", atServerMs: sentAt + 200 }]);
    expect(guest.socket.ofType("command_accepted")).toHaveLength(0);
  });

  it("[PV5] every accepted command is answered with the instant its broadcast takes effect", async () => {
    const { advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    await host.send({ type: "PLAY", id: "c1", ...track });
    await advance(1_000);
    await host.send({ type: "PAUSE", id: "c2" });
    await host.send({ type: "SEEK", id: "c3", seekPositionMs: 9_000 });
    await host.send({ type: "RESUME", id: "c4" });
    await host.send({ type: "TRACK_CHANGE", id: "c5", trackData: track });
    expect(host.socket.ofType("command_accepted")).toEqual([
      { type: "command_accepted", id: "c1", atServerMs: host.socket.last("PLAY").startServerMs },
      { type: "command_accepted", id: "c2", atServerMs: host.socket.last("PAUSE").atServerMs },
      { type: "command_accepted", id: "c3", atServerMs: host.socket.last("SEEK").atServerMs },
      { type: "command_accepted", id: "c4", atServerMs: host.socket.last("RESUME").startServerMs },
      { type: "command_accepted", id: "c5", atServerMs: host.socket.last("TRACK_CHANGE").startServerMs },
    ]);
  });

  it("[SS5][LT1][LS2] lead time grows with the room's worst round trip the server measured, up to the cap", async () => {
    const { clock, joinAs } = createHarness();
    const host = await joinAs("alice");
    const guest = await joinAs("bob");
    guest.connection.onRtt(400);
    await host.send({ type: "PLAY", id: "play", ...track });
    // Undeclared: 50 ms scheduling + 50 ms output latency assumed, plus 25 ms slack.
    expect(host.socket.last("PLAY").startServerMs - clock.now()).toBe(400 + 50 + 50 + 25);
    guest.connection.onRtt(30_000);
    await host.send({ type: "SEEK", id: "seek", seekPositionMs: 1_000 });
    expect(host.socket.last("SEEK").atServerMs - clock.now()).toBe(1_500);
  });

  it("[SS5][LT2] a round trip measured before the join counts from the join on", async () => {
    const { clock, connect, joinAs } = createHarness();
    const host = await joinAs("alice");
    const guest = connect();
    guest.connection.onRtt(600);
    await guest.send({ type: "join", roomCode: "ROOM42", versions: PROTOCOL_VERSIONS, userId: "bob" });
    await host.send({ type: "PLAY", id: "play", ...track });
    expect(host.socket.last("PLAY").startServerMs - clock.now()).toBe(600 + 50 + 50 + 25);
  });

  it("[SS5][LS3] declared margins size the lead, and no declaration pushes it past the cap", async () => {
    const { clock, connect, joinAs } = createHarness();
    const host = await joinAs("alice");
    const guest = connect();
    await guest.send({ type: "join", roomCode: "ROOM42", versions: PROTOCOL_VERSIONS, userId: "bob", timing: { schedulingMarginMs: 120, outputLatencyMs: 200 } });
    guest.connection.onRtt(100);
    await host.send({ type: "PLAY", id: "play", ...track });
    expect(host.socket.last("PLAY").startServerMs - clock.now()).toBe(100 + 120 + 200 + 25);
    const greedy = connect();
    await greedy.send({ type: "join", roomCode: "ROOM42", versions: PROTOCOL_VERSIONS, userId: "carl", timing: { schedulingMarginMs: 500, outputLatencyMs: 500 } });
    greedy.connection.onRtt(900);
    await host.send({ type: "SEEK", id: "seek", seekPositionMs: 1_000 });
    expect(host.socket.last("SEEK").atServerMs - clock.now()).toBe(1_500);
  });

  it("[SS5][LT3] nothing the client says sizes the lead: a time_ping with rttMs is refused as INVALID_MESSAGE", async () => {
    const { clock, joinAs } = createHarness();
    const host = await joinAs("alice");
    const guest = await joinAs("bob");
    await guest.send({ type: "time_ping", t0: 1, rttMs: 900 });
    expect(guest.socket.last("error").code).toBe("INVALID_MESSAGE");
    expect(guest.socket.ofType("time_pong")).toHaveLength(0);
    await guest.send({ type: "time_ping", t0: 2, extra: true });
    expect(guest.socket.ofType("error").map((error) => error.code)).toEqual(["INVALID_MESSAGE", "INVALID_MESSAGE"]);
    await host.send({ type: "PLAY", id: "play", ...track });
    expect(host.socket.last("PLAY").startServerMs - clock.now()).toBe(200);
  });

  it("[SS6] non-hosts are refused with NOT_HOST and the room is unchanged", async () => {
    const { clock, advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    const guest = await joinAs("bob");
    await host.send({ type: "PLAY", id: "play", ...track });
    await advance(3_000);
    for (const command of [
      { type: "PAUSE", id: "g1" },
      { type: "RESUME", id: "g2" },
      { type: "SEEK", id: "g3", seekPositionMs: 50_000 },
      { type: "PLAY", id: "g4", ...track, audioUrl: "/other.wav" },
      { type: "TRACK_CHANGE", id: "g5", trackData: { ...track, audioUrl: "/other.wav" } },
    ]) {
      guest.socket.clear();
      host.socket.clear();
      await guest.send(command);
      expect(guest.socket.received).toEqual([{ type: "command_refused", id: command.id, code: "NOT_HOST", message: expect.any(String) }]);
      expect(host.socket.received).toEqual([]);
    }
    const check = (await joinAs("carol")).socket.last("PLAY_SYNC");
    expect(check).toMatchObject({ audioUrl: track.audioUrl, positionMs: 2_800, isPaused: false });
  });

  it("[SS7] pause at 3.2 s, seek to 10 s while paused, resume: all clients continue from 10 s", async () => {
    const { clock, advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    const guest = await joinAs("bob");
    await host.send({ type: "PLAY", id: "play", ...track });
    await advance(200 + 3_000);
    await host.send({ type: "PAUSE", id: "pause" });
    expect(guest.socket.last("PAUSE")).toEqual({ type: "PAUSE", positionMs: 3_200, atServerMs: clock.now() + 200 });
    await advance(5_000);
    await host.send({ type: "SEEK", id: "seek", seekPositionMs: 10_000 });
    expect(guest.socket.last("SEEK")).toMatchObject({ seekPositionMs: 10_000, isPaused: true });
    await advance(5_000);
    await host.send({ type: "RESUME", id: "resume" });
    const resume = guest.socket.last("RESUME");
    expect(resume).toEqual({ type: "RESUME", positionMs: 10_000, startServerMs: clock.now() + 200 });
    await advance(200 + 1_500);
    expect((await joinAs("carol")).socket.last("PLAY_SYNC").positionMs).toBe(11_500);
  });

  it("[SS8] TRACK_CHANGE starts the new track from 0 for everyone", async () => {
    const { clock, advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    const guest = await joinAs("bob");
    await host.send({ type: "PLAY", id: "play", ...track });
    await advance(10_000);
    const next = { audioUrl: "/api/tracks/2/audio", duration: 30_000, title: "Next" };
    await host.send({ type: "TRACK_CHANGE", id: "change", trackData: next });
    expect(guest.socket.last("TRACK_CHANGE")).toEqual({ type: "TRACK_CHANGE", trackData: next, startServerMs: clock.now() + 200 });
    await advance(1_200);
    expect((await joinAs("carol")).socket.last("PLAY_SYNC")).toMatchObject({ audioUrl: next.audioUrl, positionMs: 1_000 });
  });

  it("[SS9][PV5] PAUSE, RESUME and SEEK without a track are refused with NO_TRACK, naming the command", async () => {
    const { joinAs } = createHarness();
    const host = await joinAs("alice");
    for (const type of ["PAUSE", "RESUME"]) {
      await host.send({ type, id: `no-${type}` });
      expect(host.socket.last("command_refused")).toMatchObject({ id: `no-${type}`, code: "NO_TRACK" });
    }
    await host.send({ type: "SEEK", id: "seek", seekPositionMs: 5 });
    expect(host.socket.last("command_refused")).toMatchObject({ id: "seek", code: "NO_TRACK" });
    expect(host.socket.ofType("command_accepted")).toHaveLength(0);
    expect(host.socket.ofType("error")).toHaveLength(0);
  });
});

describe("clock sync and drift", () => {
  it("[SS10] time_pong echoes t0, stamps t1 on receipt and t2 at send, with the playback position", async () => {
    const { clock, advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    await host.send({ type: "PLAY", id: "play", ...track });
    await advance(1_200);
    await host.send({ type: "time_ping", t0: 12.5 });
    expect(host.socket.last("time_pong")).toEqual({
      type: "time_pong",
      t0: 12.5,
      t1: clock.now(),
      t2: clock.now(),
      serverTime: clock.now(),
      playbackPosition: 1_000,
    });
  });

  it("[SS11] sync_check past the threshold gets RESYNC; within it, nothing", async () => {
    const { clock, advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    await host.send({ type: "PLAY", id: "play", ...track });
    await advance(10_200);
    const at = clock.now() - 40;
    await host.send({ type: "sync_check", clientPosMs: 9_960 + 499, clientTimeMs: at });
    expect(host.socket.ofType("RESYNC")).toHaveLength(0);
    await host.send({ type: "sync_check", clientPosMs: 9_960 - 501, clientTimeMs: at });
    expect(host.socket.last("RESYNC")).toEqual({ type: "RESYNC", correctPosMs: 10_000, atServerMs: clock.now(), driftMs: -501 });
  });

  it("[SS12] sync_check is ignored while paused and refused when its instant is absurd", async () => {
    const { clock, advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    await host.send({ type: "PLAY", id: "play", ...track });
    await advance(1_000);
    await host.send({ type: "PAUSE", id: "pause" });
    await advance(1_000);
    await host.send({ type: "sync_check", clientPosMs: 90_000, clientTimeMs: clock.now() });
    expect(host.socket.ofType("RESYNC")).toHaveLength(0);
    await host.send({ type: "sync_check", clientPosMs: 0, clientTimeMs: clock.now() + 60_000 });
    expect(host.socket.last("error").code).toBe("INVALID_MESSAGE");
  });
});

describe("host succession and cleanup", () => {
  it("[SS13] a departed host is replaced by the longest-connected client after the grace period", async () => {
    const { clock, advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    const bob = await joinAs("bob");
    const carol = await joinAs("carol");
    await host.close();
    expect(bob.socket.last("user_left")).toEqual({ type: "user_left", userId: "alice", totalClients: 2 });
    await advance(9_999);
    expect(bob.socket.ofType("host_changed")).toHaveLength(0);
    await carol.send({ type: "PAUSE", id: "pause" });
    expect(carol.socket.last("command_refused").code).toBe("NOT_HOST");
    await advance(1);
    expect(bob.socket.last("host_changed")).toEqual({ type: "host_changed", hostId: "bob" });
    expect(carol.socket.last("host_changed")).toEqual({ type: "host_changed", hostId: "bob" });
    await bob.send({ type: "PLAY", id: "play", ...track });
    expect(carol.socket.last("PLAY").audioUrl).toBe(track.audioUrl);
  });

  it("[SS14] a host who returns within the grace period keeps the role", async () => {
    const { clock, advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    const bob = await joinAs("bob");
    await host.close();
    await advance(5_000);
    expect((await joinAs("alice")).socket.last("joined").role).toBe("host");
    await advance(10_000);
    expect(bob.socket.ofType("host_changed")).toHaveLength(0);
  });

  it("[SS15] an empty room keeps its timeline through the grace period, then is removed", async () => {
    const { clock, advance, registry, joinAs } = createHarness();
    const host = await joinAs("alice");
    await host.send({ type: "PLAY", id: "play", ...track });
    await host.close();
    await advance(59_000);
    expect(registry.size).toBe(1);
    const back = await joinAs("alice");
    expect(back.socket.last("PLAY_SYNC").positionMs).toBe(59_000 - 200);
    await back.close();
    await advance(60_000);
    expect(registry.size).toBe(0);
  });
});
