import type { QueueItem } from "@sync-beats/protocol";
import { describe, expect, it } from "vitest";
import { chooseQueueAction, isQueuedTrackUrl, QUEUE_TARGET_LENGTH, QUEUE_TRACK_MS, queueTrack } from "./queue-actions.js";

const item = (id: string, userId: string): QueueItem => ({
  id,
  track: { trackId: id, audioUrl: `/soak/queue/${id}.wav`, duration: 5_000 },
  addedBy: { userId, name: userId },
});
const sequence = (...values: number[]) => {
  let index = 0;
  return () => values[index++ % values.length]!;
};

describe("chooseQueueAction", () => {
  it("has the host start the queue's head when nothing queued plays, so the room advances through it", () => {
    const queue = { items: [item("a", "guest"), item("b", "host")], nowPlaying: null };
    expect(chooseQueueAction({ queue, userId: "host", isHost: true }, sequence(0.9))).toEqual({ type: "queue_play_now", itemId: "a" });
    // A listener may not direct the room [Q7]: it adds or edits its own instead.
    expect(chooseQueueAction({ queue, userId: "guest", isHost: false }, sequence(0.1))?.type).toBe("queue_add");
  });

  it("adds below the target length and never past it; edits only what the member may edit [Q5]", () => {
    const others = Array.from({ length: QUEUE_TARGET_LENGTH }, (_, index) => item(`o${index}`, "someone"));
    expect(chooseQueueAction({ queue: { items: others, nowPlaying: null }, userId: "me", isHost: false }, sequence(0.1))).toBeNull();
    const mine = [...others.slice(1), item("mine", "me")];
    for (const random of [0, 0.3, 0.6, 0.99]) {
      const action = chooseQueueAction({ queue: { items: mine, nowPlaying: null }, userId: "me", isHost: false }, sequence(random));
      expect(action).not.toBeNull();
      expect(action!.type === "queue_add" ? "" : (action as { itemId: string }).itemId).toBe("mine");
    }
  });

  it("names a move as the member saw the queue: its index now and another index that exists [Q6]", () => {
    const items = [item("a", "me"), item("b", "x"), item("c", "x")];
    const move = chooseQueueAction({ queue: { items, nowPlaying: null }, userId: "me", isHost: false }, sequence(0.9, 0, 0.2, 0.99));
    expect(move).toEqual({ type: "queue_move", itemId: "a", fromIndex: 0, toIndex: 2 });
  });

  it("removes when the queue has one item to edit", () => {
    expect(chooseQueueAction({ queue: { items: [item("a", "me")], nowPlaying: null }, userId: "me", isHost: false }, sequence(0.9))).toEqual({
      type: "queue_remove",
      itemId: "a",
    });
  });
});

describe("queueTrack", () => {
  it("makes short tracks with URLs the soak recognises as queued", () => {
    const short = queueTrack("SOAK001", 7, () => 0);
    const long = queueTrack("SOAK001", 8, () => 1);
    expect(short).toMatchObject({ trackId: "SOAK001-q7", duration: QUEUE_TRACK_MS[0] });
    expect(long.duration).toBe(QUEUE_TRACK_MS[1]);
    expect(isQueuedTrackUrl(short.audioUrl)).toBe(true);
    expect(isQueuedTrackUrl("/soak/SOAK001-3.wav")).toBe(false);
  });
});
