import { describe, expect, it } from "vitest";
import { encodeTimecodeSample } from "@sync-beats/demo-tracks";
import { TIMECODE_REFERENCE, tapValue } from "./tap-value.js";

describe("tapValue", () => {
  it("undoes a resampler's gain on the ramp with the reference channel (Firefox's Speex, 1.0005–1.0019)", () => {
    for (const gain of [1.0019, 1.0005, 0.9991]) {
      for (const frame of [0, 441_000, 2 ** 21 + 17, 4_000_000]) {
        const written = encodeTimecodeSample(frame);
        expect(tapValue(written * gain, TIMECODE_REFERENCE * gain)).toBeCloseTo(written, 12);
      }
    }
  });

  it("reads a mono timecode (no channel 1) as it is", () => {
    expect(tapValue(0.25, undefined)).toBe(0.25);
  });

  it("takes a mono source upmixed to two equal channels for no reference, at any amplitude", () => {
    for (const value of [-0.5, -0.1, 0, 0.3, 0.4999, 0.75, 0.752, 1]) expect(tapValue(value, value)).toBe(value);
  });

  it("takes a stereo second channel far from the reference for no reference", () => {
    expect(tapValue(0.2, 0.9)).toBe(0.2);
    expect(tapValue(0.2, -0.75)).toBe(0.2);
  });
});
