import { EMPTY_QUEUE } from "@sync-beats/protocol";
import { describe, expect, it } from "vitest";
import { nextToPrefetch } from "./queue-prefetch.js";

const item = (id: string) => ({ id, track: { trackId: id, audioUrl: `/t/${id}.wav`, duration: 1_000 }, addedBy: { userId: "u", name: "U" } });

describe("queue prefetch", () => {
  it("[Q8] prefetches the head of the queue, nothing for an empty queue", () => {
    expect(nextToPrefetch(EMPTY_QUEUE)).toBeNull();
    expect(nextToPrefetch({ ...EMPTY_QUEUE, items: [item("b"), item("c")] })).toBe("/t/b.wav");
  });
});
