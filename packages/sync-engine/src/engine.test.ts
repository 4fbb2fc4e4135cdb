import { PROTOCOL_VERSION } from "@sync-beats/protocol";
import { describe, expect, it } from "vitest";
import { harness, OTHER, TRACK } from "../test/harness.js";
import { CONNECTION_TIMING } from "./connection.js";
import { ENGINE_TIMING } from "./engine.js";

describe("engine: connection", () => {
  it("[EN1] joins with fresh credentials and the protocol version, then bursts pings", async () => {
    const h = harness();
    h.engine.connect();
    expect(h.engine.getSnapshot().connection).toEqual({ status: "connecting", attempt: 0 });
    expect(h.sockets.last().url).toBe("ws://sync.test");
    const socket = await h.join(true, 0);
    const joinedAt = h.clock.now();
    expect(socket.sent[0]).toEqual({ type: "join", roomCode: "ABCD", protocolVersion: PROTOCOL_VERSION, ticket: "ticket-1" });
    const snap = h.engine.getSnapshot();
    expect(snap.connection.status).toBe("joined");
    expect(snap.isHost).toBe(true);
    expect(snap.participants).toEqual([{ userId: "u1", name: "Ann", isHost: true }]);
    // 10 in the first second, then 5/s to 20 s, 1/s to 60 s, then one per 3 s.
    const pingsBy = async (ms: number) => {
      await h.clock.advance(ms - (h.clock.now() - joinedAt));
      return socket.sentOf("time_ping").length;
    };
    expect(await pingsBy(999)).toBe(10);
    expect(await pingsBy(19_999)).toBe(10 + 95);
    expect(await pingsBy(59_999)).toBe(10 + 95 + 40);
    expect(await pingsBy(68_999)).toBe(10 + 95 + 40 + 3);
    // After the first pong, pings carry the best round trip.
    expect(socket.sentOf("time_ping").at(-1)?.rttMs).toBeCloseTo(10, 6);
    const stats = h.engine.getSnapshot().stats;
    expect(stats.rttMs).toBeCloseTo(10, 6);
    expect(stats.oneWayLatencyMs).toBeCloseTo(5, 6);
    expect(stats.serverOffsetMs! - h.server.offsetMs).toBeCloseTo(0, 3);
  });

  it("[EN2] tracks participants and host changes", async () => {
    const h = harness();
    h.engine.connect();
    const socket = await h.join(false, 0);
    expect(h.engine.getSnapshot().isHost).toBe(false);
    socket.receive({ type: "user_joined", userId: "u3", name: "Cy", totalClients: 2 });
    socket.receive({ type: "host_changed", hostId: "u1" });
    expect(h.engine.getSnapshot().isHost).toBe(true);
    expect(h.engine.getSnapshot().participants.map((p) => [p.userId, p.isHost])).toEqual([["u1", true], ["u3", false]]);
    socket.receive({ type: "user_left", userId: "u3", totalClients: 1 });
    expect(h.engine.getSnapshot().participants).toHaveLength(1);
  });

  it("[EN10] the host's guest-control setting goes to the server; the room's announced setting shows in the snapshot", async () => {
    const h = harness();
    h.engine.connect();
    const socket = await h.join(true, 0);
    h.engine.setGuestsCanControl(false);
    expect(socket.sentOf("room_settings")).toEqual([{ type: "room_settings", guestsCanControl: false }]);
    expect(h.engine.getSnapshot().room?.guestsCanControl).toBeUndefined();
    socket.receive({ type: "room_settings", guestsCanControl: false });
    expect(h.engine.getSnapshot().room?.guestsCanControl).toBe(false);
    socket.receive({ type: "room_settings", guestsCanControl: true });
    expect(h.engine.getSnapshot().room?.guestsCanControl).toBe(true);
  });

  it("[EN3] reconnects with full-jitter exponential backoff, fresh credentials, and re-joins", async () => {
    const h = harness({ random: () => 0.5 });
    h.engine.connect();
    await h.join();
    h.sockets.last().serverClose(1006);
    expect(h.engine.getSnapshot().connection).toMatchObject({ status: "backoff", attempt: 0 });
    await h.clock.advance(124);
    expect(h.sockets.sockets).toHaveLength(1);
    await h.clock.advance(1); // 0.5 × 250 ms
    expect(h.sockets.sockets).toHaveLength(2);
    h.sockets.last().open();
    await h.clock.advance(0);
    h.sockets.last().serverClose(1006); // failed again before joining: the ceiling doubles
    await h.clock.advance(249);
    expect(h.sockets.sockets).toHaveLength(2);
    await h.clock.advance(1);
    expect(h.sockets.sockets).toHaveLength(3);
    const socket = await h.join();
    expect(h.credentials).toHaveBeenCalledTimes(3);
    expect(socket.sent[0]).toMatchObject({ type: "join", ticket: "ticket-3" });
    // Joined and stable for 10 s: the next drop retries from the base delay again.
    await h.clock.advance(CONNECTION_TIMING.stableMs);
    socket.serverClose(1001);
    await h.clock.advance(125);
    expect(h.sockets.sockets).toHaveLength(4);
  });

  it("[EN4] stops after a protocol mismatch (4000) instead of looping", async () => {
    const h = harness();
    h.engine.connect();
    await h.join();
    h.sockets.last().serverClose(4000, "protocol 2 required");
    await h.clock.advance(60_000);
    expect(h.sockets.sockets).toHaveLength(1);
    expect(h.engine.getSnapshot().connection).toEqual({ status: "closed", reason: "protocol mismatch" });
    expect(h.engine.getSnapshot().lastError).toMatchObject({ code: "PROTOCOL_MISMATCH", message: "protocol 2 required" });
  });

  it("[EN5] on 4001 retries with newly fetched credentials, and gives up after three refusals", async () => {
    const h = harness();
    h.engine.connect();
    for (let i = 0; i < 3; i++) {
      h.sockets.last().open();
      await h.clock.advance(0);
      expect(h.sockets.last().sent[0]).toMatchObject({ ticket: `ticket-${i + 1}` });
      h.sockets.last().serverClose(4001, "ticket expired");
      await h.clock.advance(20_000);
    }
    expect(h.sockets.sockets).toHaveLength(3);
    expect(h.engine.getSnapshot().connection).toEqual({ status: "closed", reason: "unauthorized" });
  });

  it("[EN9] a failed credential fetch is reported and retried after backoff; stale sockets are ignored", async () => {
    const h = harness();
    h.credentials.mockRejectedValueOnce(new Error("api down"));
    h.engine.connect();
    const first = h.sockets.last();
    first.open();
    await h.clock.advance(0);
    expect(h.engine.getSnapshot().lastError).toMatchObject({ code: "CREDENTIALS" });
    expect(first.closed?.code).toBe(4003);
    expect(h.engine.getSnapshot().connection.status).toBe("backoff");
    await h.clock.advance(125);
    const socket = await h.join();
    expect(socket).not.toBe(first);
    expect(socket.sent[0]).toMatchObject({ type: "join", ticket: "ticket-1" });
    first.receive({ type: "host_changed", hostId: "zz" });
    first.serverClose(1006);
    expect(h.engine.getSnapshot().connection.status).toBe("joined");
    expect(h.engine.getSnapshot().room?.hostId).toBe("u1");
  });

  it("[EN6] counts and logs invalid frames without crashing", async () => {
    const h = harness();
    h.engine.connect();
    const socket = await h.join();
    socket.receive("{not json");
    socket.receive(JSON.stringify({ type: "PLAY", audioUrl: "javascript:alert(1)", duration: 1 }));
    socket.onmessage?.({ data: new ArrayBuffer(4) });
    expect(h.engine.getSnapshot().stats.invalidFrames).toBe(3);
    expect(h.warn).toHaveBeenCalledTimes(3);
    expect(h.engine.getSnapshot().track).toBeNull();
    socket.receive({ type: "user_joined", userId: "u9", name: "Zed", totalClients: 2 });
    expect(h.engine.getSnapshot().participants).toHaveLength(2);
  });

  it("[EN7] disconnect closes the socket, stops audio and every timer", async () => {
    const h = harness();
    h.engine.connect();
    const socket = await h.join();
    h.engine.disconnect();
    expect(socket.closed?.code).toBe(1000);
    expect(h.engine.getSnapshot().connection.status).toBe("closed");
    await h.clock.advance(60_000);
    expect(h.clock.pending()).toBe(0);
    expect(h.sockets.sockets).toHaveLength(1);
    // And it can connect again.
    h.engine.connect();
    await h.join();
    expect(h.sockets.sockets).toHaveLength(2);
    expect(h.engine.getSnapshot().connection.status).toBe("joined");
  });

  it("[EN8] sends host commands, and reports them unsent when not joined", async () => {
    const h = harness();
    h.engine.play(TRACK);
    expect(h.engine.getSnapshot().lastError?.code).toBe("NOT_JOINED");
    h.engine.connect();
    const socket = await h.join();
    h.engine.play(TRACK, 1_000);
    h.engine.pause();
    h.engine.resume();
    h.engine.seek(5_000);
    h.engine.trackChange(OTHER);
    const control = socket.sent.filter((m) => !["join", "time_ping", "sync_check"].includes((m as { type: string }).type));
    expect(control).toEqual([
      { type: "PLAY", ...TRACK, positionMs: 1_000 },
      { type: "PAUSE", positionMs: 0 },
      { type: "RESUME" },
      { type: "SEEK", seekPositionMs: 5_000 },
      { type: "TRACK_CHANGE", trackData: OTHER },
    ]);
    socket.receive({ type: "error", code: "NOT_HOST", message: "only the host controls playback" });
    expect(h.engine.getSnapshot().lastError).toMatchObject({ code: "NOT_HOST" });
  });
});
