import { EMPTY_QUEUE, type QueueItem, type QueueMessage, type QueueState, type ServerMessage } from "@sync-beats/protocol";
import { applyCommand, EMPTY_TIMELINE, stateAt, type Timeline } from "@sync-beats/timeline";
import { describe, expect, it } from "vitest";
import { EMPTY_ROOM_STATE, type SharedRoomState, type Transition } from "./backplane.js";
import { endOfTimeline, LATE_ADVANCE_GRACE_MS, planQueue } from "./queue-advance.js";
import { advanceQueue, applyQueueCommand, followTimeline, stopAtEnd } from "./queue-transitions.js";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const T0 = 1_000_000;
const host = { userId: "host", name: "Hana", room: null };
const ann = { userId: "ann", name: "Ann", room: null };

function item(id: string, seconds = 4, by = ann): QueueItem {
  return { id, track: { trackId: `t-${id}`, audioUrl: `/t/${id}.wav`, duration: seconds * 1000 }, addedBy: { userId: by.userId, name: by.name } };
}

/** A room playing a 10 s track from `T0`, with `items` queued. */
function playing(items: QueueItem[], queue: Partial<QueueState> = {}): SharedRoomState {
  const timeline = applyCommand(EMPTY_TIMELINE, { type: "PLAY", id: "p", audioUrl: "/first.wav", duration: 10_000, trackId: "first" }, T0, T0)!.timeline;
  return { ...EMPTY_ROOM_STATE, hostUserId: "host", timeline, queue: { ...EMPTY_QUEUE, items, ...queue } };
}

function run(transition: Transition, from: SharedRoomState): { state: SharedRoomState; messages: ServerMessage[] } {
  const result = transition(from);
  if (!result) throw new Error("expected a change");
  return result;
}

const at = (ms: number) => () => ms;
const pause = (timeline: Timeline, nowMs: number) => applyCommand(timeline, { type: "PAUSE", id: "x" }, nowMs, nowMs + 200)!.timeline;

describe("server advance", () => {
  it("[Q8] the end instant is start + remaining duration; the plan fires lookahead ahead of it", () => {
    const state = playing([item("a")]);
    expect(endOfTimeline(state.timeline)).toBe(T0 + 10_000);
    expect(planQueue(state, T0 + 1_000, 3_000)).toEqual({ kind: "advance", endMs: T0 + 10_000, fireAtMs: T0 + 7_000 });
    expect(planQueue({ ...state, timeline: pause(state.timeline, T0 + 1_000) }, T0 + 1_000, 3_000)).toBeNull();
  });

  it("[Q8] the head item starts exactly at the previous track's end instant (gapless), announced ahead", () => {
    const state = playing([item("a"), item("b")]);
    const { state: next, messages } = run(advanceQueue(T0 + 10_000, at(T0 + 7_000), 200), state);
    expect(messages[0]).toEqual({ type: "TRACK_CHANGE", trackData: item("a").track, startServerMs: T0 + 10_000 });
    expect(messages[1]).toMatchObject({ type: "queue", items: [{ id: "b" }], nowPlaying: { id: "a", startServerMs: T0 + 10_000 }, endedAtServerMs: null });
    // The last sample of the first track is heard at its end; the first of the next right then.
    expect(stateAt(next.timeline, T0 + 9_999)).toMatchObject({ track: { trackId: "first" }, positionMs: 9_999 });
    expect(stateAt(next.timeline, T0 + 10_000)).toMatchObject({ track: { trackId: "t-a" }, positionMs: 0, paused: false });
    expect(endOfTimeline(next.timeline)).toBe(T0 + 14_000);
  });

  it("[Q9] a second node running the same advance changes nothing (exactly once)", () => {
    const first = run(advanceQueue(T0 + 10_000, at(T0 + 7_000), 200), playing([item("a"), item("b")]));
    expect(advanceQueue(T0 + 10_000, at(T0 + 7_001), 200)(first.state)).toBeNull();
  });

  it("[Q8] a node that notices late starts the next item at the earliest reachable instant", () => {
    const { messages } = run(advanceQueue(T0 + 10_000, at(T0 + 10_500), 200), playing([item("a")]));
    expect(messages[0]).toMatchObject({ type: "TRACK_CHANGE", startServerMs: T0 + 10_700 });
  });

  it("[Q10] the queue ran out: the room stops at the end and says so, once; a library track just ends", () => {
    const fromQueue = playing([], { nowPlaying: { ...item("a"), startServerMs: T0 } });
    expect(planQueue(fromQueue, T0 + 1_000, 3_000)).toEqual({ kind: "stop", endMs: T0 + 10_000, fireAtMs: T0 + 10_000 });
    const stopped = run(stopAtEnd(T0 + 10_000, at(T0 + 10_000)), fromQueue);
    expect(stopped.messages).toEqual([{ type: "queue", version: 1, items: [], nowPlaying: null, endedAtServerMs: T0 + 10_000 }]);
    expect(stopAtEnd(T0 + 10_000, at(T0 + 10_001))(stopped.state)).toBeNull();
    expect(planQueue(stopped.state, T0 + 10_001, 3_000)).toBeNull();
    expect(planQueue(playing([]), T0 + 1_000, 3_000)).toBeNull();
  });

  it("[Q8][Q10] an item added within the late grace still plays; one added long after the end waits for the host", () => {
    const ended = playing([item("a")]);
    expect(planQueue(ended, T0 + 10_000 + LATE_ADVANCE_GRACE_MS, 3_000)).toMatchObject({ kind: "advance" });
    expect(planQueue(ended, T0 + 10_001 + LATE_ADVANCE_GRACE_MS, 3_000)).toBeNull();
  });
});

describe("queue commands", () => {
  const context = (added?: { track: QueueItem["track"]; itemId: string }) => ({ now: at(T0 + 1_000), leadMs: 200, added, onEffect: () => undefined });
  const command = (message: DistributiveOmit<QueueMessage, "id">) => ({ id: "c", ...message }) as QueueMessage;

  it("[Q2][Q1] an add appends what the grant said, with who added it, and announces the whole queue", () => {
    const { state, messages } = run(applyQueueCommand(ann, command({ type: "queue_add", trackGrant: "g" }), context({ track: item("a").track, itemId: "i1" })), playing([]));
    expect(state.queue.items).toEqual([{ id: "i1", track: item("a").track, addedBy: { userId: "ann", name: "Ann" } }]);
    expect(messages).toEqual([{ type: "queue", ...state.queue }]);
  });

  it("[Q7] play now removes the item and starts it at the next lead; a pending advance it replaces goes back to the head", () => {
    const announced = run(advanceQueue(T0 + 10_000, at(T0 + 7_000), 200), playing([item("a"), item("b"), item("c")])).state;
    const { state, messages } = run(applyQueueCommand(host, command({ type: "queue_play_now", itemId: "c" }), { ...context(), now: at(T0 + 8_000) }), announced);
    expect(messages[0]).toMatchObject({ type: "TRACK_CHANGE", trackData: { trackId: "t-c" }, startServerMs: T0 + 8_200 });
    expect(state.queue.items.map((i) => i.id)).toEqual(["a", "b"]);
    expect(state.queue.nowPlaying).toMatchObject({ id: "c", startServerMs: T0 + 8_200 });
  });

  it("[Q11] a library pick that replaces a pending advance puts the item back; a pause lands on the next item's first sample", () => {
    const announced = run(advanceQueue(T0 + 10_000, at(T0 + 7_000), 200), playing([item("a"), item("b")])).state;
    const other = { audioUrl: "/other.wav", duration: 5_000, trackId: "other" };
    const picked = applyCommand(announced.timeline, { type: "TRACK_CHANGE", id: "x", trackData: other }, T0 + 8_000, T0 + 8_200)!.timeline;
    const restored = followTimeline(announced.queue, picked, T0 + 8_000);
    expect(restored.items.map((i) => i.id)).toEqual(["a", "b"]);
    expect(restored.nowPlaying).toBeNull();
    expect(restored.version).toBeGreaterThan(announced.queue.version);
    // Commands never take effect before one already pending [TL9]: the pause holds item a at 0.
    const paused = pause(announced.timeline, T0 + 8_000);
    expect(stateAt(paused, T0 + 10_500)).toMatchObject({ track: { trackId: "t-a" }, positionMs: 0, paused: true });
    expect(followTimeline(announced.queue, paused, T0 + 8_000)).toBe(announced.queue);
    const started = run(advanceQueue(T0 + 10_000, at(T0 + 7_000), 200), playing([item("a")])).state;
    const pickedLater = applyCommand(started.timeline, { type: "TRACK_CHANGE", id: "x", trackData: other }, T0 + 11_000, T0 + 11_200)!.timeline;
    expect(followTimeline(started.queue, pickedLater, T0 + 11_000)).toMatchObject({ nowPlaying: null, items: [] });
    expect(followTimeline(started.queue, started.timeline, T0 + 11_000)).toBe(started.queue);
  });
});
