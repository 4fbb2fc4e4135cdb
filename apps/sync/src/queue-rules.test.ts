import { EMPTY_QUEUE, QUEUE_MAX_ITEMS, type QueueItem, type VersionedRoomFacts } from "@sync-beats/protocol";
import { describe, expect, it } from "vitest";
import { EMPTY_ROOM_STATE, type SharedRoomState } from "./backplane.js";
import { ProtocolError } from "./errors.js";
import { appendItem, mayAdd, mayDirect, mayEdit, moveItem, removeAt } from "./queue-rules.js";

const facts: VersionedRoomFacts = { name: "Den", ownerId: "owner", listenersCanControl: false, version: 1 };
const room = (policy?: "everyone" | "host"): SharedRoomState => ({ ...EMPTY_ROOM_STATE, hostUserId: "host", facts: { ...facts, queueAddPolicy: policy } });

function item(id: string, by = "ann"): QueueItem {
  return { id, track: { trackId: `t-${id}`, audioUrl: `/t/${id}.wav`, duration: 1_000 }, addedBy: { userId: by, name: by } };
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ProtocolError) return error.code;
    throw error;
  }
  throw new Error("expected a refusal");
}

const queueOf = (...ids: string[]) => ({ ...EMPTY_QUEUE, items: ids.map((id) => item(id)) });

describe("queue rules", () => {
  it("[Q3] everyone may add by default (and with an old copy of the facts); with policy host only the host", () => {
    expect(mayAdd("ann", room())).toBe(true);
    expect(mayAdd("ann", room("everyone"))).toBe(true);
    expect(mayAdd("ann", room("host"))).toBe(false);
    expect(mayAdd("host", room("host"))).toBe(true);
    expect(mayAdd("ann", { ...EMPTY_ROOM_STATE, facts: null })).toBe(true);
  });

  it("[Q5] the host may edit any item, the adder only their own", () => {
    expect(mayEdit("host", item("a", "ann"), room())).toBe(true);
    expect(mayEdit("ann", item("a", "ann"), room())).toBe(true);
    expect(mayEdit("bob", item("a", "ann"), room())).toBe(false);
  });

  it("[Q7] play next / play now: the host only, not even the owner or the adder", () => {
    expect(mayDirect("host", room())).toBe(true);
    expect(mayDirect("owner", room())).toBe(false);
    expect(mayDirect("ann", room())).toBe(false);
  });

  it("[Q4] appends up to QUEUE_MAX_ITEMS, then refuses QUEUE_FULL and changes nothing", () => {
    let queue = EMPTY_QUEUE;
    for (let index = 0; index < QUEUE_MAX_ITEMS; index++) queue = appendItem(queue, item(`i${index}`));
    expect(queue.items).toHaveLength(500);
    expect(queue.version).toBe(500);
    expect(refusal(() => appendItem(queue, item("one-more")))).toBe("QUEUE_FULL");
    expect(queue.items).toHaveLength(500);
  });

  it("[Q6] moves an item from where the sender saw it; a stale from-index or a gone to-index is STALE_QUEUE", () => {
    const queue = queueOf("a", "b", "c", "d");
    expect(moveItem(queue, "a", 0, 2).items.map((i) => i.id)).toEqual(["b", "c", "a", "d"]);
    expect(moveItem(queue, "d", 3, 0).items.map((i) => i.id)).toEqual(["d", "a", "b", "c"]);
    expect(moveItem(queue, "b", 1, 1)).toBe(queue);
    expect(refusal(() => moveItem(queue, "a", 1, 2))).toBe("STALE_QUEUE");
    expect(refusal(() => moveItem(queue, "a", 0, 4))).toBe("STALE_QUEUE");
    expect(refusal(() => moveItem(queue, "gone", 0, 1))).toBe("STALE_QUEUE");
  });

  it("[Q1] every change bumps the queue version", () => {
    const queue = queueOf("a", "b");
    expect(removeAt(queue, 0)).toMatchObject({ version: 1, items: [{ id: "b" }] });
    expect(moveItem(queue, "a", 0, 1).version).toBe(1);
  });
});
