import { describe, expect, it } from "vitest";
import { encodeWav } from "./wav.js";

const dataOffset = (bytes: Buffer) => bytes.indexOf("data", 12, "ascii") + 8;

describe("encodeWav", () => {
  it("clamps PCM samples to [-1, 1] and interleaves channels", () => {
    const bytes = encodeWav({ sampleRate: 8_000, channels: 2, format: "pcm16", frames: 2, sample: (frame, channel) => (channel === 0 ? 2 * (frame === 0 ? 1 : -1) : 0.5) });
    const at = dataOffset(bytes);
    expect([0, 2, 4, 6].map((offset) => bytes.readInt16LE(at + offset))).toEqual([32767, 16384, -32767, 16384]);
  });

  it("pads an odd-length INFO tag so every chunk starts on an even offset", () => {
    const bytes = encodeWav({ sampleRate: 8_000, channels: 1, format: "float32", frames: 1, sample: () => 0.25, title: "ab" });
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
    expect(dataOffset(bytes) % 2).toBe(0);
    expect(bytes.readFloatLE(dataOffset(bytes))).toBe(0.25);
  });
});
