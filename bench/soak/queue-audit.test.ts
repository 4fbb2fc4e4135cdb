import type { QueueItem } from "@sync-beats/protocol";
import { describe, expect, it } from "vitest";
import { QueueAudit } from "./queue-audit.js";

const item = (id: string): QueueItem => ({ id, track: { trackId: id, audioUrl: `/soak/queue/${id}.wav`, duration: 5_000 }, addedBy: { userId: "u", name: "u" } });
const frame = (version: number, ids: string[], playing: string | null = null, startServerMs = 1_000) => ({
  version,
  items: ids.map(item),
  nowPlaying: playing === null ? null : { ...item(playing), startServerMs },
});

describe("QueueAudit", () => {
  it("counts a member whose order for a version differs from another member's", () => {
    const audit = new QueueAudit();
    expect(audit.observe("R", 1, frame(3, ["a", "b"]), false, null)).toBe(true);
    audit.observe("R", 2, frame(3, ["a", "b"]), false, null);
    audit.observe("R", 3, frame(3, ["b", "a"]), false, null);
    expect(audit.counts).toMatchObject({ applied: 3, mismatches: 1 });
  });

  it("does not apply a copy of a version the member already holds (a join's held frames)", () => {
    const audit = new QueueAudit();
    audit.observe("R", 1, frame(5, ["a"]), true, null);
    expect(audit.observe("R", 1, frame(4, ["a", "b"]), false, null)).toBe(false);
    expect(audit.counts.staleCopies).toBe(1);
    expect(audit.versionOf(1)).toBe(5);
    audit.forget(1);
    expect(audit.versionOf(1)).toBe(-1);
  });

  it("checks that a frame starting an item came right after that item's TRACK_CHANGE; a snapshot needs none", () => {
    const audit = new QueueAudit();
    audit.observe("R", 1, frame(1, ["a", "b"]), false, null);
    audit.observe("R", 1, frame(2, ["b"], "a"), false, "/soak/queue/a.wav");
    audit.observe("R", 1, frame(3, [], "b"), false, null);
    audit.observe("R", 2, frame(3, [], "b"), true, null);
    expect(audit.counts).toMatchObject({ starts: 2, startsWithoutTrackChange: 1 });
  });

  it("at the end, tells members on the server's queue from those behind or different", () => {
    const audit = new QueueAudit();
    audit.observe("R", 1, frame(7, ["a", "b"]), false, null);
    audit.observe("R", 2, frame(6, ["a", "b", "c"]), false, null);
    audit.observe("R", 3, frame(8, ["b"]), false, null);
    expect(audit.finalCheck("R", frame(7, ["a", "b"]), [1, 2, 3])).toEqual({ agree: 2, behind: 1, differ: 0 });
    expect(audit.finalCheck("R", frame(7, ["b", "a"]), [1, 3])).toEqual({ agree: 0, behind: 0, differ: 2 });
    // A member of a room whose queue never changed holds the empty queue, version 0.
    expect(audit.finalCheck("S", frame(0, []), [4])).toEqual({ agree: 1, behind: 0, differ: 0 });
  });
});
