import { describe, expect, it } from "vitest";
import { MIN_AHEAD_S, PlaybackSession } from "./playback-session.js";
import type { DecodedChunk, TrackSource } from "./track-source.js";

const RATE = 48_000;

interface StartedNode {
  when: number;
  offsetS: number;
}

/** A context whose `currentTime` the test sets, recording each source node's `start()`. */
function fakeContext() {
  const started: StartedNode[] = [];
  const ctx = {
    currentTime: 0,
    createBufferSource() {
      return {
        buffer: null as unknown,
        playbackRate: { value: 1, setValueAtTime: () => undefined },
        onended: null as unknown,
        connect: () => undefined,
        disconnect: () => undefined,
        start: (when: number, offsetS: number) => started.push({ when, offsetS }),
        stop: () => undefined,
      };
    },
  };
  return { ctx, started };
}

function wholeTrack(seconds: number): TrackSource {
  const chunk: DecodedChunk = { start: 0, end: seconds * RATE, buffer: {} as AudioBuffer };
  return { sampleRate: RATE, totalFrames: chunk.end, streaming: false, fetchLeadS: 0, held: () => [chunk], pump: () => undefined, dispose: () => undefined };
}

describe("PlaybackSession start", () => {
  it("[M3] a track opened after its start instant starts ≥ MIN_AHEAD_S ahead of currentTime, at the position due then", () => {
    const { ctx, started } = fakeContext();
    const session = new PlaybackSession("t", ctx as unknown as BaseAudioContext, {} as AudioNode, 10, 0, 1);
    ctx.currentTime = 10.3; // the decode finished 300 ms after the start instant
    session.attach(wholeTrack(60));
    expect(started).toHaveLength(1);
    const { when, offsetS } = started[0]!;
    expect(when).toBeGreaterThanOrEqual(10.3 + MIN_AHEAD_S);
    // In sync: the offset is the track position at that instant, so the late start is silent, not late.
    expect(offsetS).toBeCloseTo(when - 10, 9);
  });

  it("[M3] a track open in time starts exactly at its start instant from its offset", () => {
    const { ctx, started } = fakeContext();
    const session = new PlaybackSession("t", ctx as unknown as BaseAudioContext, {} as AudioNode, 10, 2_000, 1);
    ctx.currentTime = 9;
    session.attach(wholeTrack(60));
    expect(started).toEqual([{ when: 10, offsetS: 2 }]);
  });
});
