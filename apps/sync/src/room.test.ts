import { PROTOCOL_VERSION } from "@sync-beats/protocol";
import { describe, expect, it } from "vitest";
import { createHarness } from "../test/harness.js";

const track = { audioUrl: "/api/tracks/1/audio", duration: 120_000, title: "Song" };

describe("join", () => {
  it("[SS1] replies joined; the first joiner hosts; others hear user_joined", async () => {
    const { joinAs } = createHarness();
    const host = await joinAs("alice");
    expect(host.socket.last("joined")).toMatchObject({
      isHost: true,
      hostId: "alice",
      roomCode: "ROOM42",
      protocolVersion: PROTOCOL_VERSION,
      guestsCanControl: true,
    });
    const guest = await joinAs("bob");
    expect(guest.socket.last("joined")).toMatchObject({ isHost: false, hostId: "alice" });
    expect(guest.socket.last("joined").participants.map((p) => p.userId)).toEqual(["alice", "bob"]);
    expect(host.socket.last("user_joined")).toMatchObject({ userId: "bob", totalClients: 2 });
    expect(guest.socket.ofType("user_joined")).toHaveLength(0);
  });

  it("[SS2] a late joiner gets PLAY_SYNC with the canonical position", async () => {
    const { clock, advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    await host.send({ type: "PLAY", ...track });
    const start = host.socket.last("PLAY").startServerMs;
    await advance(200 + 7_250);
    const late = await joinAs("carol");
    const sync = late.socket.last("PLAY_SYNC");
    expect(sync).toMatchObject({ audioUrl: track.audioUrl, isPaused: false, atServerMs: clock.now() });
    expect(sync.positionMs).toBe(clock.now() - start);
    expect(sync.positionMs).toBe(7_250);
  });

  it("[SS32] a client joining while commands are pending is told them: it agrees with the room at every later instant", async () => {
    const { clock, advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    await host.send({ type: "PLAY", ...track });
    await advance(5_000);
    await host.send({ type: "SEEK", seekPositionMs: 50_000 });
    await host.send({ type: "PAUSE" });
    const seekAt = host.socket.last("SEEK").atServerMs;
    expect(seekAt).toBeGreaterThan(clock.now());
    const late = await joinAs("carol");
    expect(late.socket.last("PLAY_SYNC")).toMatchObject({ isPaused: false, atServerMs: clock.now() });
    expect(late.socket.ofType("SEEK")).toEqual([{ type: "SEEK", seekPositionMs: 50_000, atServerMs: seekAt, isPaused: true }]);
    await host.send({ type: "RESUME" });
    await host.send({ type: "TRACK_CHANGE", trackData: { ...track, audioUrl: "/api/tracks/2/audio" } });
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
    await host.send({ type: "PLAY", ...track });
    await advance(5_000);
    await host.send({ type: "PAUSE" });
    await advance(1_000);
    expect((await joinAs("carol")).socket.last("PLAY_SYNC")).toMatchObject({ isPaused: true, positionMs: 5_000 });
    await host.send({ type: "RESUME" });
    await advance(200_000);
    expect((await joinAs("dave")).socket.ofType("PLAY_SYNC")).toHaveLength(0);
  });
});

describe("host commands", () => {
  it("[SS4] PLAY is broadcast to everyone, sender included, with one future start instant", async () => {
    const { clock, advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    const guest = await joinAs("bob");
    const sentAt = clock.now();
    await host.send({ type: "PLAY", ...track });
    const seenByHost = host.socket.last("PLAY");
    expect(seenByHost).toEqual(guest.socket.last("PLAY"));
    expect(seenByHost.startServerMs).toBe(sentAt + 200);
    expect(seenByHost.positionMs).toBe(0);
  });

  it("[SS5] lead time grows with the room's worst round trip, up to the cap", async () => {
    const { clock, advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    const guest = await joinAs("bob");
    await guest.send({ type: "time_ping", t0: 1, rttMs: 400 });
    await host.send({ type: "PLAY", ...track });
    expect(host.socket.last("PLAY").startServerMs - clock.now()).toBe(400 * 1.5 + 50);
    await guest.send({ type: "time_ping", t0: 2, rttMs: 30_000 });
    await host.send({ type: "SEEK", seekPositionMs: 1_000 });
    expect(host.socket.last("SEEK").atServerMs - clock.now()).toBe(1_500);
  });

  it("[SS6] non-hosts are refused with NOT_HOST and the room is unchanged", async () => {
    const { clock, advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    const guest = await joinAs("bob");
    await host.send({ type: "PLAY", ...track });
    await advance(3_000);
    for (const command of [
      { type: "PAUSE" },
      { type: "RESUME" },
      { type: "SEEK", seekPositionMs: 50_000 },
      { type: "PLAY", ...track, audioUrl: "/other.wav" },
      { type: "TRACK_CHANGE", trackData: { ...track, audioUrl: "/other.wav" } },
    ]) {
      guest.socket.clear();
      host.socket.clear();
      await guest.send(command);
      expect(guest.socket.received).toEqual([{ type: "error", code: "NOT_HOST", message: expect.any(String) }]);
      expect(host.socket.received).toEqual([]);
    }
    const check = (await joinAs("carol")).socket.last("PLAY_SYNC");
    expect(check).toMatchObject({ audioUrl: track.audioUrl, positionMs: 2_800, isPaused: false });
  });

  it("[SS7] pause at 3.2 s, seek to 10 s while paused, resume: all clients continue from 10 s", async () => {
    const { clock, advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    const guest = await joinAs("bob");
    await host.send({ type: "PLAY", ...track });
    await advance(200 + 3_000);
    await host.send({ type: "PAUSE" });
    expect(guest.socket.last("PAUSE")).toEqual({ type: "PAUSE", positionMs: 3_200, atServerMs: clock.now() + 200 });
    await advance(5_000);
    await host.send({ type: "SEEK", seekPositionMs: 10_000 });
    expect(guest.socket.last("SEEK")).toMatchObject({ seekPositionMs: 10_000, isPaused: true });
    await advance(5_000);
    await host.send({ type: "RESUME" });
    const resume = guest.socket.last("RESUME");
    expect(resume).toEqual({ type: "RESUME", positionMs: 10_000, startServerMs: clock.now() + 200 });
    await advance(200 + 1_500);
    expect((await joinAs("carol")).socket.last("PLAY_SYNC").positionMs).toBe(11_500);
  });

  it("[SS8] TRACK_CHANGE starts the new track from 0 for everyone", async () => {
    const { clock, advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    const guest = await joinAs("bob");
    await host.send({ type: "PLAY", ...track });
    await advance(10_000);
    const next = { audioUrl: "/api/tracks/2/audio", duration: 30_000, title: "Next" };
    await host.send({ type: "TRACK_CHANGE", trackData: next });
    expect(guest.socket.last("TRACK_CHANGE")).toEqual({ type: "TRACK_CHANGE", trackData: next, startServerMs: clock.now() + 200 });
    await advance(1_200);
    expect((await joinAs("carol")).socket.last("PLAY_SYNC")).toMatchObject({ audioUrl: next.audioUrl, positionMs: 1_000 });
  });

  it("[SS9] PAUSE, RESUME and SEEK without a track answer NO_TRACK", async () => {
    const { joinAs } = createHarness();
    const host = await joinAs("alice");
    for (const type of ["PAUSE", "RESUME"]) {
      await host.send({ type });
      expect(host.socket.last("error").code).toBe("NO_TRACK");
    }
    await host.send({ type: "SEEK", seekPositionMs: 5 });
    expect(host.socket.last("error").code).toBe("NO_TRACK");
  });
});

describe("clock sync and drift", () => {
  it("[SS10] time_pong echoes t0, stamps t1 on receipt and t2 at send, with the playback position", async () => {
    const { clock, advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    await host.send({ type: "PLAY", ...track });
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
    await host.send({ type: "PLAY", ...track });
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
    await host.send({ type: "PLAY", ...track });
    await advance(1_000);
    await host.send({ type: "PAUSE" });
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
    await carol.send({ type: "PAUSE" });
    expect(carol.socket.last("error").code).toBe("NOT_HOST");
    await advance(1);
    expect(bob.socket.last("host_changed")).toEqual({ type: "host_changed", hostId: "bob" });
    expect(carol.socket.last("host_changed")).toEqual({ type: "host_changed", hostId: "bob" });
    await bob.send({ type: "PLAY", ...track });
    expect(carol.socket.last("PLAY").audioUrl).toBe(track.audioUrl);
  });

  it("[SS14] a host who returns within the grace period keeps the role", async () => {
    const { clock, advance, joinAs } = createHarness();
    const host = await joinAs("alice");
    const bob = await joinAs("bob");
    await host.close();
    await advance(5_000);
    expect((await joinAs("alice")).socket.last("joined").isHost).toBe(true);
    await advance(10_000);
    expect(bob.socket.ofType("host_changed")).toHaveLength(0);
  });

  it("[SS15] an empty room keeps its timeline through the grace period, then is removed", async () => {
    const { clock, advance, registry, joinAs } = createHarness();
    const host = await joinAs("alice");
    await host.send({ type: "PLAY", ...track });
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
