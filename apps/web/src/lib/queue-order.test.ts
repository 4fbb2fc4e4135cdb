import { EMPTY_QUEUE, type QueueItem } from "@sync-beats/protocol";
import { describe, expect, it } from "vitest";
import { mayAddToQueue, mayEditItem, moveCommand, queueEndedNotice } from "./queue-order";

const item = (id: string, by = "ann"): QueueItem => ({ id, track: { trackId: id, audioUrl: `/${id}`, duration: 1_000 }, addedBy: { userId: by, name: by } });
const items = [item("a"), item("b"), item("c")];

describe("queue panel logic", () => {
  it("[Q6] a move names the position the page sees; nothing past either end or in place", () => {
    expect(moveCommand(items, "a", 2)).toEqual({ type: "queue_move", itemId: "a", fromIndex: 0, toIndex: 2 });
    expect(moveCommand(items, "c", 1)).toEqual({ type: "queue_move", itemId: "c", fromIndex: 2, toIndex: 1 });
    expect(moveCommand(items, "a", -1)).toBeNull();
    expect(moveCommand(items, "c", 3)).toBeNull();
    expect(moveCommand(items, "b", 1)).toBeNull();
    expect(moveCommand(items, "zz", 0)).toBeNull();
  });

  it("[Q3][Q5] the page offers what the server allows", () => {
    expect(mayEditItem(item("a", "ann"), "ann", false)).toBe(true);
    expect(mayEditItem(item("a", "ann"), "bob", false)).toBe(false);
    expect(mayEditItem(item("a", "ann"), "bob", true)).toBe(true);
    expect(mayAddToQueue(undefined, false)).toBe(true);
    expect(mayAddToQueue("host", false)).toBe(false);
    expect(mayAddToQueue("host", true)).toBe(true);
  });

  it("[Q10] says the room stopped only when the queue ran out", () => {
    expect(queueEndedNotice(null)).toBeNull();
    expect(queueEndedNotice({ ...EMPTY_QUEUE, endedAtServerMs: 5 })).toMatch(/ran out/);
    expect(queueEndedNotice({ ...EMPTY_QUEUE, endedAtServerMs: 5, items: [item("a")] })).toBeNull();
  });
});
