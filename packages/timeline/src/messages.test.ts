import type { ServerMessage } from "@sync-beats/protocol";
import { describe, expect, it } from "vitest";
import { applyTimelineMessage, isTimelineMessage } from "./messages.js";
import { EMPTY_TIMELINE, pruneTimeline, stateAt, upcomingAnchors, type Timeline } from "./timeline.js";

const TRACK = { audioUrl: "/a.wav", duration: 60_000, title: "A" };
const OTHER = { audioUrl: "/b.wav", duration: 30_000, title: "B" };

function apply(timeline: Timeline, ...messages: ServerMessage[]): Timeline {
  return messages.reduce((t, m) => (isTimelineMessage(m) ? applyTimelineMessage(t, m) : t), timeline);
}

const play = (startServerMs: number, positionMs = 0): ServerMessage => ({ type: "PLAY", ...TRACK, startServerMs, positionMs });

describe("applyTimelineMessage", () => {
  it("[TL1] PLAY applies at its server instant, not on receipt", () => {
    const t = apply(EMPTY_TIMELINE, play(10_000, 500));
    expect(stateAt(t, 9_000)).toMatchObject({ positionMs: 500, paused: true, track: TRACK });
    expect(stateAt(t, 10_000)).toMatchObject({ positionMs: 500, paused: false });
    expect(stateAt(t, 12_500)?.positionMs).toBe(3_000);
    expect(stateAt(EMPTY_TIMELINE, 0)).toBeNull();
  });

  it("[TL2] PLAY_SYNC places a late joiner mid-track, playing or paused", () => {
    const playing = apply(EMPTY_TIMELINE, { type: "PLAY_SYNC", ...TRACK, positionMs: 20_000, atServerMs: 5_000, isPaused: false });
    expect(stateAt(playing, 6_000)?.positionMs).toBe(21_000);
    const paused = apply(playing, { type: "PLAY_SYNC", ...TRACK, positionMs: 7_000, atServerMs: 9_000, isPaused: true });
    expect(paused.anchors).toHaveLength(1);
    expect(stateAt(paused, 50_000)).toMatchObject({ positionMs: 7_000, paused: true });
  });

  it("[TL3] PAUSE, RESUME and SEEK each take effect at their own instants", () => {
    const t = apply(
      EMPTY_TIMELINE,
      play(1_000),
      { type: "PAUSE", positionMs: 4_000, atServerMs: 5_000 },
      { type: "RESUME", positionMs: 4_000, startServerMs: 8_000 },
      { type: "SEEK", seekPositionMs: 30_000, atServerMs: 10_000, isPaused: false },
    );
    expect(stateAt(t, 4_999)).toMatchObject({ positionMs: 3_999, paused: false });
    expect(stateAt(t, 6_000)).toMatchObject({ positionMs: 4_000, paused: true });
    expect(stateAt(t, 9_000)).toMatchObject({ positionMs: 5_000, paused: false });
    expect(stateAt(t, 10_500)).toMatchObject({ positionMs: 30_500, paused: false, track: TRACK });
  });

  it("[TL4] TRACK_CHANGE starts the new track from 0 at its instant; the old one plays until then", () => {
    const t = apply(EMPTY_TIMELINE, play(0), { type: "TRACK_CHANGE", trackData: OTHER, startServerMs: 20_000 });
    expect(stateAt(t, 19_000)).toMatchObject({ track: TRACK, positionMs: 19_000 });
    expect(stateAt(t, 21_000)).toMatchObject({ track: OTHER, positionMs: 1_000 });
    expect(upcomingAnchors(t, 19_000)).toHaveLength(1);
  });

  it("[TL5] a newer command replaces a scheduled one it lands before", () => {
    const t = apply(EMPTY_TIMELINE, play(1_000), { type: "PAUSE", positionMs: 0, atServerMs: 900 });
    expect(t.anchors).toHaveLength(1);
    expect(stateAt(t, 5_000)).toMatchObject({ positionMs: 0, paused: true, track: TRACK });
  });

  it("[TL6] RESYNC corrects the position and keeps play/pause state; agreement changes nothing", () => {
    const t = apply(EMPTY_TIMELINE, play(0));
    expect(apply(t, { type: "RESYNC", correctPosMs: 3_000, atServerMs: 3_000, driftMs: 0 })).toBe(t);
    const fixed = apply(t, { type: "RESYNC", correctPosMs: 3_400, atServerMs: 3_000, driftMs: -400 });
    expect(fixed.version).toBe(t.version + 1);
    expect(stateAt(fixed, 4_000)).toMatchObject({ positionMs: 4_400, paused: false });
    expect(apply(EMPTY_TIMELINE, { type: "RESYNC", correctPosMs: 1, atServerMs: 1, driftMs: 0 })).toBe(EMPTY_TIMELINE);
  });

  it("[TL6] a RESYNC while a command is pending keeps the command", () => {
    const t = apply(EMPTY_TIMELINE, play(0), { type: "PAUSE", positionMs: 3_300, atServerMs: 3_300 });
    const fixed = apply(t, { type: "RESYNC", correctPosMs: 3_400, atServerMs: 3_000, driftMs: -400 });
    expect(stateAt(fixed, 3_200)).toMatchObject({ positionMs: 3_600, paused: false });
    expect(stateAt(fixed, 9_000)).toMatchObject({ positionMs: 3_300, paused: true });
  });

  it("[TL3] PAUSE on the instant of a pending track change pauses the new track", () => {
    const t = apply(EMPTY_TIMELINE, play(0), { type: "TRACK_CHANGE", trackData: OTHER, startServerMs: 5_000 }, { type: "PAUSE", positionMs: 0, atServerMs: 5_000 });
    expect(stateAt(t, 4_000)).toMatchObject({ track: TRACK, positionMs: 4_000, paused: false });
    expect(stateAt(t, 6_000)).toMatchObject({ track: OTHER, positionMs: 0, paused: true });
  });

  it("[TL7] PAUSE/SEEK/RESUME without a track are ignored; the end of the track clamps and reports ended", () => {
    expect(apply(EMPTY_TIMELINE, { type: "PAUSE", positionMs: 1, atServerMs: 1 })).toBe(EMPTY_TIMELINE);
    const t = apply(EMPTY_TIMELINE, play(0));
    expect(stateAt(t, 70_000)).toMatchObject({ positionMs: 60_000, ended: true });
  });

  it("[TL8] pruning keeps the anchor in force and the future ones", () => {
    const t = apply(EMPTY_TIMELINE, play(0), { type: "SEEK", seekPositionMs: 0, atServerMs: 5_000, isPaused: false }, play(9_000, 100));
    const pruned = pruneTimeline(t, 6_000);
    expect(pruned.anchors.map((a) => a.atServerMs)).toEqual([5_000, 9_000]);
    expect(stateAt(pruned, 6_000)).toEqual(stateAt(t, 6_000));
    expect(pruneTimeline(t, -1)).toBe(t);
  });
});
