import { parseServerMessage } from "@sync-beats/protocol";
import { describe, expect, it } from "vitest";
import { timePongFrame } from "./pong-frame.js";

describe("time_pong frame", () => {
  it.each([
    [12.5, 1_700_000_000_000.125, 1_700_000_000_000.5, 30_000.25],
    [-3, 0, 0, null],
    [1e-7, 1.5e12, 1.5e12, 0],
    [123456789.123456, 1_764_600_000_000.0001, 1_764_600_000_000.0002, 86_400_000],
  ])("[LT3] t0 %s: the same JSON as JSON.stringify of the message, and a valid time_pong", (t0, t1, t2, playbackPosition) => {
    const message = { type: "time_pong", t0, t1, t2, serverTime: t2, playbackPosition };
    const frame = timePongFrame(t0, t1, t2, playbackPosition);
    expect(frame).toBe(JSON.stringify(message));
    expect(parseServerMessage(frame)).toEqual({ ok: true, message });
  });
});
