import type { ControlMessage, VersionedRoomFacts } from "@sync-beats/protocol";
import { describe, expect, it } from "vitest";
import { EMPTY_ROOM_STATE, type SharedRoomState } from "./backplane.js";
import { catchUpMessages } from "./room-catch-up.js";
import { applyControl } from "./room-transitions.js";

const facts: VersionedRoomFacts = { name: "Den", ownerId: "host", listenersCanControl: false, version: 1 };
const host = { userId: "host", name: "host", room: facts };

function command(state: SharedRoomState, message: ControlMessage, nowMs: number): SharedRoomState {
  const result = applyControl(host, message, () => nowMs, 200, () => undefined)(state);
  if (!result) throw new Error("the command changed nothing");
  return { ...result.state, version: state.version + 1 };
}

const playing = command({ ...EMPTY_ROOM_STATE, hostUserId: "host", facts, version: 1 }, { type: "PLAY", id: "p", audioUrl: "/a.wav", duration: 120_000 }, 1_000);

describe("[RC8] catching up after missed broadcasts", () => {
  it("a state no newer than the node's tells nothing", () => {
    expect(catchUpMessages(playing, playing, 5_000)).toEqual([]);
    expect(catchUpMessages(playing, { ...playing, version: playing.version - 1 }, 5_000)).toEqual([]);
  });

  it("a missed PAUSE comes as the paused position now, as a joiner gets it", () => {
    const paused = command(playing, { type: "PAUSE", id: "x" }, 4_000);
    expect(catchUpMessages(playing, paused, 6_000)).toEqual([
      { type: "PLAY_SYNC", audioUrl: "/a.wav", duration: 120_000, positionMs: 3_000, atServerMs: 6_000, isPaused: true },
    ]);
  });

  it("a missed SEEK still pending comes as that SEEK at its instant", () => {
    const seeking = command(playing, { type: "SEEK", id: "s", seekPositionMs: 60_000 }, 4_000);
    const messages = catchUpMessages(playing, seeking, 4_100);
    expect(messages.map((m) => m.type)).toEqual(["PLAY_SYNC", "SEEK"]);
    expect(messages[1]).toEqual({ type: "SEEK", seekPositionMs: 60_000, atServerMs: 4_200, isPaused: false });
  });

  it("a missed host change and rename are told; parts that did not change are not", () => {
    const renamed = { ...playing, version: playing.version + 1, hostUserId: "carol", facts: { ...facts, name: "Loft", version: 2 } };
    expect(catchUpMessages(playing, renamed, 9_000)).toEqual([
      { type: "host_changed", hostId: "carol" },
      { type: "room_updated", room: { name: "Loft", ownerId: "host", listenersCanControl: false } },
    ]);
  });

  it("a missed queue change sends the queue", () => {
    const queued = { ...playing, version: playing.version + 1, queue: { ...playing.queue, version: playing.queue.version + 1 } };
    expect(catchUpMessages(playing, queued, 9_000).map((m) => m.type)).toEqual(["queue"]);
  });
});
