import { describe, expect, it } from "vitest";
import { boundaryFigures } from "./room-queue.js";
import { timelineEvent } from "./room-observer.js";
import { timelineOf } from "./room-scenario.js";

describe("room-mode queue and observer figures", () => {
  it("a boundary's gap per page is |gap| + skipped start; p95 and max over the pages that showed it", () => {
    const figures = boundaryFigures(
      [
        [{ gapMs: -1, skippedMs: 0.5 }, { gapMs: 0.2, skippedMs: 0 }],
        [{ gapMs: 3, skippedMs: 0 }],
        [],
      ],
      2,
    );
    expect(figures[0]!.gapsMs).toEqual([1.5, 3, null]);
    expect(figures[0]!.gapMaxMs).toBe(3);
    expect(figures[0]!.gapP95Ms).toBeCloseTo(2.925, 6);
    expect(figures[1]!.gapsMs).toEqual([0.2, null, null]);
    expect(figures[1]!.gapMaxMs).toBe(0.2);
  });

  it("the observer reads each timeline broadcast's instant and position; PAUSE ends the timeline, not a position", () => {
    const play = timelineEvent({ type: "PLAY", audioUrl: "/a.wav", duration: 1000, trackId: "t1", startServerMs: 5000, positionMs: 0 }, 1);
    const seek = timelineEvent({ type: "SEEK", seekPositionMs: 180_000, atServerMs: 9000, isPaused: false }, 2);
    const change = timelineEvent({ type: "TRACK_CHANGE", trackData: { audioUrl: "/b.wav", duration: 1000, trackId: "t2" }, startServerMs: 12_000 }, 3);
    const pause = timelineEvent({ type: "PAUSE", positionMs: 190_000, atServerMs: 20_000 }, 4);
    expect(timelineEvent({ type: "user_left", userId: "u", totalClients: 1 }, 5)).toBeNull();
    expect(timelineOf([play!, seek!, change!, pause!], 100)).toEqual([
      { atMs: 4900, positionMs: 0 },
      { atMs: 8900, positionMs: 180_000 },
      { atMs: 11_900, positionMs: 0 },
    ]);
    expect(change!.trackId).toBe("t2");
  });
});
