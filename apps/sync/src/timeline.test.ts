import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HISTORY_MS, isPausedAt, isTrackActive, pause, positionAt, resume, seek, startTrack, type Timeline } from "./timeline.js";

const track = { audioUrl: "/t.wav", duration: 60_000 };

describe("timeline", () => {
  it("[TL1] holds at the start position until the start instant, then advances", () => {
    const timeline = startTrack(track, 0, 1_200);
    expect(positionAt(timeline, 1_000)).toBe(0);
    expect(positionAt(timeline, 1_200)).toBe(0);
    expect(positionAt(timeline, 4_400)).toBe(3_200);
  });

  it("[TL2] pause at 3.2 s, seek to 10 s while paused, resume: continues from 10 s", () => {
    let timeline = startTrack(track, 0, 0);
    timeline = pause(timeline, 3_200, 3_200);
    expect(positionAt(timeline, 9_000)).toBe(3_200);
    timeline = seek(timeline, 9_000, 10_000, 9_000);
    expect(positionAt(timeline, 9_500)).toBe(10_000);
    expect(isPausedAt(timeline, 9_500)).toBe(true);
    timeline = resume(timeline, 20_000, 20_000);
    expect(positionAt(timeline, 20_000)).toBe(10_000);
    expect(positionAt(timeline, 21_500)).toBe(11_500);
  });

  it("[TL3] a pending command does not change the position before its instant", () => {
    let timeline = startTrack(track, 0, 0);
    timeline = pause(timeline, 1_000, 1_200);
    timeline = seek(timeline, 1_010, 30_000, 1_210);
    expect(positionAt(timeline, 1_100)).toBe(1_100);
    expect(positionAt(timeline, 1_205)).toBe(1_200);
    expect(positionAt(timeline, 5_000)).toBe(30_000);
  });

  it("[TL4] never passes the duration, and an ended track is inactive", () => {
    const timeline = startTrack(track, 59_000, 0);
    expect(positionAt(timeline, 5_000)).toBe(60_000);
    expect(isTrackActive(timeline, 500)).toBe(true);
    expect(isTrackActive(timeline, 5_000)).toBe(false);
    expect(isTrackActive(null, 0)).toBe(false);
  });

  it("[TL5] a command aimed before a pending one takes effect after it", () => {
    let timeline = startTrack(track, 0, 0);
    timeline = pause(timeline, 100, 800);
    timeline = resume(timeline, 110, 300);
    expect(isPausedAt(timeline, 500)).toBe(false);
    expect(positionAt(timeline, 800)).toBe(800);
    expect(positionAt(timeline, 900)).toBe(900);
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

describe("timeline property", () => {
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

  it("[TL6] matches the reference model (back to HISTORY_MS before now), never negative, never past the duration", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 59_000 }),
        fc.integer({ min: 0, max: 600 }),
        fc.array(command, { maxLength: 25 }),
        fc.array(fc.integer({ min: -HISTORY_MS, max: 120_000 }), { minLength: 1, maxLength: 10 }),
        (startPos, startLead, commands, queryOffsets) => {
          let now = 1_000;
          let timeline: Timeline = startTrack(track, startPos, now + startLead);
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
