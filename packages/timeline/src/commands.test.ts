import type { ControlMessage } from "@sync-beats/protocol";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyCommand, joinMessages, resyncFor } from "./commands.js";
import { applyTimelineMessage } from "./messages.js";
import { EMPTY_TIMELINE, HISTORY_MS, isTrackActive, positionAt, stateAt, type Timeline } from "./timeline.js";

const track = { audioUrl: "/t.wav", duration: 60_000 };
const other = { audioUrl: "/u.wav", duration: 30_000, title: "U" };

/** Runs `command` received at `nowMs`, aimed at `aimAtMs`, as the server does. */
function run(timeline: Timeline, command: ControlMessage, nowMs: number, aimAtMs = nowMs): Timeline {
  const result = applyCommand(timeline, command, nowMs, aimAtMs);
  if (!result) throw new Error(`${command.type} refused`);
  return result.timeline;
}

const start = (positionMs: number, atServerMs: number) => run(EMPTY_TIMELINE, { type: "PLAY", id: "c", ...track, positionMs }, atServerMs, atServerMs);
const pause = (timeline: Timeline, nowMs: number, atServerMs: number) => run(timeline, { type: "PAUSE", id: "c" }, nowMs, atServerMs);
const resume = (timeline: Timeline, nowMs: number, atServerMs: number) => run(timeline, { type: "RESUME", id: "c" }, nowMs, atServerMs);
const seek = (timeline: Timeline, nowMs: number, seekPositionMs: number, atServerMs: number) =>
  run(timeline, { type: "SEEK", id: "c", seekPositionMs }, nowMs, atServerMs);
const pausedAt = (timeline: Timeline, serverMs: number) => stateAt(timeline, serverMs)?.paused;

describe("applyCommand", () => {
  it("[TL1] holds at the start position until the start instant, then advances", () => {
    const timeline = run(EMPTY_TIMELINE, { type: "PLAY", id: "c", ...track }, 1_000, 1_200);
    expect(positionAt(timeline, 1_000)).toBe(0);
    expect(positionAt(timeline, 1_200)).toBe(0);
    expect(positionAt(timeline, 4_400)).toBe(3_200);
  });

  it("[TL3] pause at 3.2 s, seek to 10 s while paused, resume: continues from 10 s", () => {
    let timeline = start(0, 0);
    timeline = pause(timeline, 3_200, 3_200);
    expect(positionAt(timeline, 9_000)).toBe(3_200);
    timeline = seek(timeline, 9_000, 10_000, 9_000);
    expect(positionAt(timeline, 9_500)).toBe(10_000);
    expect(pausedAt(timeline, 9_500)).toBe(true);
    timeline = resume(timeline, 20_000, 20_000);
    expect(positionAt(timeline, 20_000)).toBe(10_000);
    expect(positionAt(timeline, 21_500)).toBe(11_500);
  });

  it("[TL1] a pending command does not change the position before its instant", () => {
    let timeline = start(0, 0);
    timeline = pause(timeline, 1_000, 1_200);
    timeline = seek(timeline, 1_010, 30_000, 1_210);
    expect(positionAt(timeline, 1_100)).toBe(1_100);
    expect(positionAt(timeline, 1_205)).toBe(1_200);
    expect(positionAt(timeline, 5_000)).toBe(30_000);
  });

  it("[TL7] never passes the duration, and an ended track is inactive", () => {
    const timeline = start(59_000, 0);
    expect(positionAt(timeline, 5_000)).toBe(60_000);
    expect(isTrackActive(stateAt(timeline, 500))).toBe(true);
    expect(isTrackActive(stateAt(timeline, 5_000))).toBe(false);
    expect(isTrackActive(stateAt(EMPTY_TIMELINE, 0))).toBe(false);
    expect(applyCommand(timeline, { type: "SEEK", id: "c", seekPositionMs: 90_000 }, 6_000, 6_200)?.message).toMatchObject({ seekPositionMs: 60_000 });
  });

  it("[TL9] a command aimed before a pending one takes effect after it", () => {
    let timeline = start(0, 0);
    timeline = pause(timeline, 100, 800);
    timeline = resume(timeline, 110, 300);
    expect(pausedAt(timeline, 500)).toBe(false);
    expect(positionAt(timeline, 800)).toBe(800);
    expect(positionAt(timeline, 900)).toBe(900);
  });

  it("[TL4] PLAY and TRACK_CHANGE leave the old track playing until their instant", () => {
    let timeline = start(0, 0);
    timeline = run(timeline, { type: "TRACK_CHANGE", id: "c", trackData: other }, 10_000, 10_300);
    expect(stateAt(timeline, 10_200)).toMatchObject({ track, positionMs: 10_200, paused: false });
    expect(stateAt(timeline, 10_500)).toMatchObject({ track: other, positionMs: 200, paused: false });
    timeline = run(timeline, { type: "PLAY", id: "c", ...track, positionMs: 5_000 }, 11_000, 11_300);
    expect(stateAt(timeline, 11_200)).toMatchObject({ track: other, positionMs: 900 });
    expect(stateAt(timeline, 11_400)).toMatchObject({ track, positionMs: 5_100 });
  });

  it("[TL10] the server's broadcast moves a client's timeline exactly as the command moved the server's", () => {
    let server = start(0, 0);
    let client = applyTimelineMessage(EMPTY_TIMELINE, { type: "PLAY", ...track, startServerMs: 0, positionMs: 0 });
    const commands: ControlMessage[] = [{ type: "PAUSE", id: "c" }, { type: "SEEK", id: "c", seekPositionMs: 7_000 }, { type: "TRACK_CHANGE", id: "c", trackData: other }, { type: "RESUME", id: "c" }];
    commands.forEach((command, index) => {
      const result = applyCommand(server, command, 1_000 + index * 10, 1_300);
      server = result!.timeline;
      client = applyTimelineMessage(client, result!.message);
    });
    for (let t = 0; t < 4_000; t += 50) expect(stateAt(client, t)).toEqual(stateAt(server, t));
  });

  it("[TL9] PAUSE, RESUME and SEEK need a track", () => {
    for (const command of [{ type: "PAUSE", id: "c" }, { type: "RESUME", id: "c" }, { type: "SEEK", id: "c", seekPositionMs: 1 }] as const) {
      expect(applyCommand(EMPTY_TIMELINE, command, 0, 200)).toBeNull();
    }
  });
});

describe("joinMessages", () => {
  it("[TL11] nothing to tell before a track or after it ended; the state now otherwise", () => {
    expect(joinMessages(EMPTY_TIMELINE, 0)).toEqual([]);
    const timeline = start(50_000, 0);
    expect(joinMessages(timeline, 20_000)).toEqual([]);
    expect(joinMessages(timeline, 4_000)).toEqual([{ type: "PLAY_SYNC", ...track, positionMs: 54_000, atServerMs: 4_000, isPaused: false }]);
  });

  it("[TL11] pending commands follow as SEEKs, a pending track change as PLAY (and a SEEK when paused on its instant)", () => {
    let timeline = start(0, 0);
    timeline = seek(timeline, 5_000, 20_000, 5_200);
    timeline = run(timeline, { type: "TRACK_CHANGE", id: "c", trackData: other }, 5_010, 5_400);
    timeline = pause(timeline, 5_020, 5_220);
    expect(joinMessages(timeline, 5_100)).toEqual([
      { type: "PLAY_SYNC", ...track, positionMs: 5_100, atServerMs: 5_100, isPaused: false },
      { type: "SEEK", seekPositionMs: 20_000, atServerMs: 5_200, isPaused: false },
      { type: "PLAY", ...other, startServerMs: 5_400, positionMs: 0 },
      { type: "SEEK", seekPositionMs: 0, atServerMs: 5_400, isPaused: true },
    ]);
    const ended = run(start(59_000, 0), { type: "TRACK_CHANGE", id: "c", trackData: other }, 2_000, 2_200);
    expect(joinMessages(ended, 2_100).map((m) => m.type)).toEqual(["PLAY_SYNC", "PLAY"]);
  });
});

describe("resyncFor", () => {
  it("[TL12] answers drift past the threshold with the position now; nothing within it, while paused or without a track", () => {
    const timeline = pause(start(0, 0), 8_000, 8_000);
    expect(resyncFor(timeline, { clientPosMs: 5_499, clientTimeMs: 5_000 }, 5_040, 500)).toBeNull();
    expect(resyncFor(timeline, { clientPosMs: 5_501, clientTimeMs: 5_000 }, 5_040, 500)).toEqual({
      type: "RESYNC",
      correctPosMs: 5_040,
      atServerMs: 5_040,
      driftMs: 501,
    });
    expect(resyncFor(timeline, { clientPosMs: 0, clientTimeMs: 9_000 }, 9_040, 500)).toBeNull();
    expect(resyncFor(EMPTY_TIMELINE, { clientPosMs: 0, clientTimeMs: 9_000 }, 9_040, 500)).toBeNull();
  });
});

type Command =
  | { kind: "pause"; gapMs: number; leadMs: number }
  | { kind: "resume"; gapMs: number; leadMs: number }
  | { kind: "seek"; gapMs: number; leadMs: number; positionMs: number };

/**
 * Reference model: an event log replayed by integrating time step by step from the start,
 * written independently of the segment representation.
 */
function referencePosition(
  startAt: number,
  startPos: number,
  events: { at: number; kind: Command["kind"]; positionMs?: number }[],
  queryAt: number,
): number {
  let position = startPos;
  let playing = false;
  let time = -Infinity;
  const ordered = [{ at: startAt, kind: "resume" as const }, ...events];
  for (const event of ordered) {
    if (event.at > queryAt) break;
    if (playing) position = Math.min(track.duration, position + (event.at - time));
    time = event.at;
    if (event.kind === "pause") playing = false;
    if (event.kind === "resume") playing = true;
    if (event.kind === "seek") position = Math.min(track.duration, event.positionMs!);
  }
  if (playing) position = Math.min(track.duration, position + (queryAt - time));
  return position;
}

describe("applyCommand property", () => {
  const command = fc.oneof(
    fc.record({ kind: fc.constant("pause" as const), gapMs: fc.integer({ min: 0, max: 5_000 }), leadMs: fc.integer({ min: 0, max: 600 }) }),
    fc.record({ kind: fc.constant("resume" as const), gapMs: fc.integer({ min: 0, max: 5_000 }), leadMs: fc.integer({ min: 0, max: 600 }) }),
    fc.record({
      kind: fc.constant("seek" as const),
      gapMs: fc.integer({ min: 0, max: 5_000 }),
      leadMs: fc.integer({ min: 0, max: 600 }),
      positionMs: fc.integer({ min: 0, max: 70_000 }),
    }),
  );

  it("[TL13] matches the reference model (back to HISTORY_MS before now), never negative, never past the duration", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 59_000 }),
        fc.integer({ min: 0, max: 600 }),
        fc.array(command, { maxLength: 25 }),
        fc.array(fc.integer({ min: -HISTORY_MS, max: 120_000 }), { minLength: 1, maxLength: 10 }),
        (startPos, startLead, commands, queryOffsets) => {
          let now = 1_000;
          let timeline: Timeline = run(EMPTY_TIMELINE, { type: "PLAY", id: "c", ...track, positionMs: startPos }, now, now + startLead);
          let lastEffect = now + startLead;
          const events: { at: number; kind: Command["kind"]; positionMs?: number }[] = [];
          for (const next of commands) {
            now += next.gapMs;
            const at = Math.max(now + next.leadMs, lastEffect);
            lastEffect = at;
            if (next.kind === "pause") timeline = pause(timeline, now, now + next.leadMs);
            if (next.kind === "resume") timeline = resume(timeline, now, now + next.leadMs);
            if (next.kind === "seek") timeline = seek(timeline, now, next.positionMs, now + next.leadMs);
            events.push({ at, kind: next.kind, positionMs: next.kind === "seek" ? next.positionMs : undefined });
          }
          for (const offset of queryOffsets) {
            const queryAt = Math.max(1_000, now + offset);
            const actual = positionAt(timeline, queryAt);
            expect(actual).toBeGreaterThanOrEqual(0);
            expect(actual).toBeLessThanOrEqual(track.duration);
            expect(actual).toBeCloseTo(referencePosition(1_000 + startLead, Math.min(startPos, track.duration), events, queryAt), 6);
          }
        },
      ),
      { seed: 20261124, numRuns: 500 },
    );
  });
});
