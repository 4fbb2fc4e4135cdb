import { describe, expect, it } from "vitest";
import { stitch } from "./web-audio-capture.js";

describe("stitch (the recorder worklet's chunks into one recording)", () => {
  it("lays chunks at their context frames, starts at the first chunk's frame, and leaves a gap silent", () => {
    const chunks = [
      { from: 4410, samples: Float32Array.of(1, 2) },
      { from: 4412, samples: Float32Array.of(3) },
      { from: 4415, samples: Float32Array.of(4, 5) },
    ];
    const captured = stitch(chunks, 44_100, 9);
    expect(Array.from(captured.samples)).toEqual([1, 2, 3, 0, 0, 4, 5]);
    expect(captured.firstContextTime).toBeCloseTo(0.1, 12);
    expect(captured.sampleRate).toBe(44_100);
  });

  it("gives an empty recording at the current context time when nothing came", () => {
    expect(stitch([], 48_000, 2.5)).toEqual({ samples: new Float32Array(0), sampleRate: 48_000, firstContextTime: 2.5 });
  });
});
