import { PROTOCOL_VERSIONS } from "@sync-beats/protocol";
import { CommandId } from "@sync-beats/protocol";
import { describe, expect, it } from "vitest";
import { harness, OTHER, TRACK } from "../test/harness.js";
import { seededRandom } from "../test/random.js";
import { SERVER_LINK_TIMING } from "./server-link.js";
import { VERSION_MESSAGES } from "./session-end.js";

/** A joined engine that the server closes with `code`: its snapshot a minute later and how many sockets it opened. */
async function minuteAfterServerClose(code: number, reason: string) {
  const h = harness();
  h.engine.connect();
  await h.join();
  h.sockets.last().serverClose(code, reason);
  await h.clock.advance(60_000);
  return { snapshot: h.engine.getSnapshot(), sockets: h.sockets.sockets.length };
}

describe("engine: connection", () => {
  it("[EN1][EN11][EN17] joins with fresh credentials offering its protocol versions, then bursts pings that carry only t0", async () => {
    const h = harness();
    h.engine.connect();
    expect(h.engine.getSnapshot().connection).toEqual({ status: "connecting", attempt: 0 });
    expect(h.sockets.last().url).toBe("ws://sync.test");
    const socket = await h.join(true, 0);
    const joinedAt = h.clock.now();
    expect(socket.sent[0]).toMatchObject({ type: "join", roomCode: "ABCD", versions: PROTOCOL_VERSIONS, ticket: "ticket-1", timing: { schedulingMarginMs: 80 } });
    const snap = h.engine.getSnapshot();
    expect(snap.connection.status).toBe("joined");
    expect(snap.isHost).toBe(true);
    expect(snap.participants).toEqual([{ userId: "u1", name: "Ann", role: "host", isOwner: true }]);
    // 10 in the first second, then 5/s to 20 s, 1/s to 60 s, then one per 3 s.
    const pingsBy = async (ms: number) => {
      await h.clock.advance(ms - (h.clock.now() - joinedAt));
      return socket.sentOf("time_ping").length;
    };
    expect(await pingsBy(999)).toBe(10);
    expect(await pingsBy(19_999)).toBe(10 + 95);
    expect(await pingsBy(59_999)).toBe(10 + 95 + 40);
    expect(await pingsBy(68_999)).toBe(10 + 95 + 40 + 3);
    // The round trip stays in the debug snapshot: the server measures its own.
    expect(Object.keys(socket.sentOf("time_ping").at(-1)!).sort()).toEqual(["t0", "type"]);
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
    expect(h.engine.getSnapshot().participants.map((p) => [p.userId, p.role])).toEqual([["u1", "host"], ["u3", "listener"]]);
    socket.receive({ type: "user_left", userId: "u3", totalClients: 1 });
    expect(h.engine.getSnapshot().participants).toHaveLength(1);
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
    await h.clock.advance(SERVER_LINK_TIMING.stableMs);
    socket.serverClose(1001);
    await h.clock.advance(125);
    expect(h.sockets.sockets).toHaveLength(4);
  });

  it("[EN4] stops after a bare protocol mismatch close (4000) instead of looping", async () => {
    const { snapshot, sockets } = await minuteAfterServerClose(4000, "no shared protocol version");
    expect(sockets).toBe(1);
    expect(snapshot.connection).toEqual({ status: "closed", reason: "protocol mismatch" });
    expect(snapshot.lastError).toMatchObject({ code: "PROTOCOL_MISMATCH", message: VERSION_MESSAGES.PROTOCOL_MISMATCH });
  });

  it.each([
    ["CLIENT_TOO_OLD", "this page is older than the server: reload"],
    ["SERVER_TOO_OLD", "the server is older than this page: try again once it is updated"],
  ] as const)("[EN11] %s (error, then 4000) stops for good and says which side is older", async (code, text) => {
    const h = harness();
    h.engine.connect();
    const socket = h.sockets.last();
    socket.open();
    await h.clock.advance(0);
    socket.receive({ type: "error", code, message: "server speaks protocol 3-3, client 2-2", versions: { min: 3, max: 3 } });
    socket.serverClose(4000, "protocol mismatch");
    await h.clock.advance(60_000);
    expect(h.sockets.sockets).toHaveLength(1);
    expect(h.engine.getSnapshot().connection).toEqual({ status: "closed", reason: "protocol mismatch" });
    expect(h.engine.getSnapshot().lastError).toMatchObject({ code, message: text });
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

  it("[EN8][EN13] sends every command with a fresh id, pending until answered; unsent commands report NOT_JOINED", async () => {
    const h = harness();
    expect(h.engine.play(TRACK)).toBeNull();
    expect(h.engine.getSnapshot().lastError?.code).toBe("NOT_JOINED");
    h.engine.connect();
    const socket = await h.join();
    const ids = [h.engine.play(TRACK, 1_000), h.engine.pause(), h.engine.resume(), h.engine.seek(5_000), h.engine.trackChange(OTHER)];
    const control = socket.sent.filter((m) => !["join", "time_ping", "sync_check"].includes((m as { type: string }).type));
    expect(control).toEqual([
      { type: "PLAY", id: ids[0], ...TRACK, positionMs: 1_000 },
      { type: "PAUSE", id: ids[1], positionMs: 0 },
      { type: "RESUME", id: ids[2] },
      { type: "SEEK", id: ids[3], seekPositionMs: 5_000 },
      { type: "TRACK_CHANGE", id: ids[4], trackData: OTHER },
    ]);
    expect(new Set(ids).size).toBe(5);
    for (const id of ids) expect(CommandId.safeParse(id).success).toBe(true);
    expect(h.engine.getSnapshot().commands.pending).toBe(5);
    socket.receive({ type: "command_accepted", id: ids[0]!, atServerMs: h.serverNow() + 100 });
    socket.receive({ type: "command_accepted", id: "someone-else-1", atServerMs: h.serverNow() });
    expect(h.engine.getSnapshot().commands).toEqual({ pending: 4, lost: 0, lastRefusal: null });
  });

  it("[EN13] two engines of one user (two tabs) do not send the same ids", async () => {
    const random = seededRandom(7);
    const tabs = [harness({ random }), harness({ random })];
    for (const tab of tabs) {
      tab.engine.connect();
      await tab.join();
    }
    expect(tabs[0]!.engine.resume()).not.toBe(tabs[1]!.engine.resume());
  });

  it("[EN14] a refusal is shown with the command it answers, not as a connection error", async () => {
    const h = harness();
    h.engine.connect();
    const socket = await h.join(false);
    const id = h.engine.seek(30_000)!;
    socket.receive({ type: "command_refused", id, code: "NOT_HOST", message: "only the host controls playback" });
    const snap = h.engine.getSnapshot();
    expect(snap.commands).toEqual({
      pending: 0,
      lost: 0,
      lastRefusal: { id, type: "SEEK", code: "NOT_HOST", message: "only the host controls playback", atMs: h.clock.now() },
    });
    expect(snap.lastError).toBeNull();
    // A second answer for the same id (or one for an id never sent) changes nothing.
    socket.receive({ type: "command_refused", id, code: "NO_TRACK", message: "nothing to seek" });
    expect(h.engine.getSnapshot().commands.lastRefusal?.code).toBe("NOT_HOST");
  });

  it("[EN15] commands pending when the socket closes are lost, not refused", async () => {
    const h = harness();
    h.engine.connect();
    const socket = await h.join();
    const id = h.engine.pause()!;
    socket.serverClose(1006);
    expect(h.engine.getSnapshot().commands).toEqual({ pending: 0, lost: 1, lastRefusal: null });
    await h.clock.advance(125);
    const again = await h.join();
    // A late answer on the new socket for the lost command is not ours to count.
    again.receive({ type: "command_refused", id, code: "NOT_HOST", message: "late" });
    expect(h.engine.getSnapshot().commands).toEqual({ pending: 0, lost: 1, lastRefusal: null });
  });

  it("[EN12] joined gives role, host and room facts; host_changed moves the role; room_updated replaces the facts", async () => {
    const h = harness();
    h.engine.connect();
    const socket = await h.join(false);
    let snap = h.engine.getSnapshot();
    expect(snap.room).toMatchObject({ role: "listener", hostId: "u2", facts: { name: "Den", ownerId: "u1", listenersCanControl: false } });
    expect([snap.isHost, snap.canControl]).toEqual([false, false]);
    socket.receive({ type: "room_updated", room: { name: "Loft", ownerId: "u3", listenersCanControl: true } });
    snap = h.engine.getSnapshot();
    expect(snap.room?.facts).toEqual({ name: "Loft", ownerId: "u3", listenersCanControl: true });
    expect(snap.canControl).toBe(true);
    expect(snap.participants).toEqual([{ userId: "u1", name: "Ann", role: "listener", isOwner: false }]);
    socket.receive({ type: "user_joined", userId: "u3", name: "Cy", totalClients: 2 });
    expect(h.engine.getSnapshot().participants.at(-1)).toEqual({ userId: "u3", name: "Cy", role: "listener", isOwner: true });
    socket.receive({ type: "room_updated", room: { name: "Loft", ownerId: "u3", listenersCanControl: false } });
    expect(h.engine.getSnapshot().canControl).toBe(false);
    socket.receive({ type: "host_changed", hostId: "u1" });
    snap = h.engine.getSnapshot();
    expect([snap.room?.role, snap.isHost, snap.canControl]).toEqual(["host", true, true]);
  });

  it("[EN16] room_closed stops for good, silences the audio and says the room was deleted", async () => {
    const h = harness();
    h.engine.connect();
    const socket = await h.join();
    socket.receive({ type: "room_closed", reason: "the owner deleted this room" });
    socket.serverClose(4004, "room deleted");
    await h.clock.advance(60_000);
    const snap = h.engine.getSnapshot();
    expect(h.sockets.sockets).toHaveLength(1);
    expect(snap.connection).toEqual({ status: "closed", reason: "room closed" });
    expect(snap.roomClosed).toEqual({ reason: "the owner deleted this room" });
    expect(snap.canControl).toBe(false);
    expect(h.clock.pending()).toBe(0);
  });

  it("[EN16] a join refused with ROOM_CLOSED, or a bare 4004 close, stops for good too", async () => {
    const refused = harness();
    refused.engine.connect();
    refused.sockets.last().open();
    await refused.clock.advance(0);
    refused.sockets.last().receive({ type: "error", code: "ROOM_CLOSED", message: "this room was deleted" });
    expect(refused.engine.getSnapshot().roomClosed).toEqual({ reason: "this room was deleted" });
    const { snapshot, sockets } = await minuteAfterServerClose(4004, "room deleted");
    expect(sockets).toBe(1);
    expect(snapshot.connection).toEqual({ status: "closed", reason: "room closed" });
    expect(snapshot.roomClosed).toEqual({ reason: "room deleted" });
  });
});
