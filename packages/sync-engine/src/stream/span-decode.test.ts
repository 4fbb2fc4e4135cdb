import { describe, expect, it } from "vitest";
import { cutRange, droppedAtStart } from "./span-decode.js";
import { pieceRanges, planarFloat32 } from "./webcodecs-decode.js";

describe("[M15] the cut of a decoded span, for either decoder", () => {
  it("decoded sample 0 at track sample 1000: span [1500, 2000) is samples 500–999", () => {
    expect(cutRange(1000, 4096, { start: 1500, end: 2000 }, 1e6)).toEqual({ skip: 500, count: 500 });
  });

  it("a decode that ends inside the span, or the track's end, shortens the chunk", () => {
    expect(cutRange(1000, 700, { start: 1500, end: 2000 }, 1e6)).toEqual({ skip: 500, count: 200 });
    expect(cutRange(1000, 4096, { start: 1500, end: 2000 }, 1600)).toEqual({ skip: 500, count: 100 });
  });

  it("a decode that starts after the span, or ends before it, gives nothing", () => {
    expect(cutRange(1501, 4096, { start: 1500, end: 2000 }, 1e6)).toBeNull();
    expect(cutRange(1000, 500, { start: 1500, end: 2000 }, 1e6)).toBeNull();
  });

  it("a negative first sample (inside the encoder delay or pre-skip) is cut like any other", () => {
    expect(cutRange(-312, 9600, { start: 0, end: 4800 }, 1e6)).toEqual({ skip: 312, count: 4800 });
  });
});

describe("[M16] what an AudioDecoder left out at a span's start, read from its length", () => {
  it("frames' samples less what came out; never negative", () => {
    expect(droppedAtStart([960, 960, 960], 2880 - 312)).toBe(312);
    expect(droppedAtStart([1024, 1024], 2048)).toBe(0);
    expect(droppedAtStart([1152], 1200)).toBe(0);
  });
});

describe("[M15] AudioData planes into float32 channels", () => {
  const bytesOf = (array: ArrayBufferView) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

  it("f32-planar: one plane a channel, as it is", () => {
    const channels = planarFloat32("f32-planar", 2, 3, [bytesOf(Float32Array.of(0.5, -0.25, 1)), bytesOf(Float32Array.of(0, 0.125, -1))]);
    expect(channels.map((c) => [...c])).toEqual([[0.5, -0.25, 1], [0, 0.125, -1]]);
  });

  it("s16 interleaved: de-interleaved and scaled by 1/32768", () => {
    const channels = planarFloat32("s16", 2, 2, [bytesOf(Int16Array.of(16384, -32768, -8192, 32767))]);
    expect(channels.map((c) => [...c])).toEqual([[0.5, -0.25], [-1, 32767 / 32768]]);
  });

  it("s32-planar and u8 interleaved", () => {
    expect([...planarFloat32("s32-planar", 1, 2, [bytesOf(Int32Array.of(0x40000000, -0x80000000))])[0]!]).toEqual([0.5, -1]);
    expect(planarFloat32("u8", 2, 1, [Uint8Array.of(0xc0, 0x40)]).map((c) => [...c])).toEqual([[0.5], [-0.5]]);
  });

  it("a copy from a run of AudioData pieces (20, 20, 10 frames): which pieces, where in each, where in the output", () => {
    expect(pieceRanges([20, 20, 10], 15, 20)).toEqual([
      { piece: 0, offset: 15, at: 0, count: 5 },
      { piece: 1, offset: 0, at: 5, count: 15 },
    ]);
    expect(pieceRanges([20, 20, 10], 40, 100)).toEqual([{ piece: 2, offset: 0, at: 0, count: 10 }]);
    expect(pieceRanges([20, 20, 10], 50, 5)).toEqual([]);
  });
});
