import { describe, expect, it } from "vitest";
import { DEMO_SAMPLE_RATE, decodeTimecodeSample, decodeTimecodeSeconds, encodeTimecodeSample } from "./timecode.js";

describe("timecode", () => {
  it("timecode samples are exact in float32 and decode to their frame", () => {
    const frames = [0, 1, 2, 44_099, 44_100, 1_234_567, 60 * DEMO_SAMPLE_RATE - 1];
    for (const frame of frames) {
      const stored = Math.fround(encodeTimecodeSample(frame));
      expect(stored).toBe(encodeTimecodeSample(frame));
      expect(decodeTimecodeSample(stored)).toBe(frame);
    }
    expect(decodeTimecodeSeconds(encodeTimecodeSample(44_100 * 30))).toBe(30);
  });
});
