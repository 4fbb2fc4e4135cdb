import { describe, expect, it } from "vitest";
import { decodeTimecodeSample, encodeTimecodeSample, encodeWav } from "@sync-beats/demo-tracks";
import { decodeWavSamples, parseWavHeader, wavByteRange } from "./wav.js";

const u8 = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

describe("WAV streaming", () => {
  it("[M1] a chunk cut at any sample frame decodes to exactly the track's samples there (float timecode)", () => {
    const file = u8(encodeWav({ sampleRate: 44_100, channels: 1, format: "float32", frames: 50_000, sample: encodeTimecodeSample, title: "T" }));
    const info = parseWavHeader(file.subarray(0, 4096), file.length)!;
    expect(info).toMatchObject({ formatTag: 3, channels: 1, sampleRate: 44_100, frames: 50_000 });
    const { start, end } = wavByteRange(info, 12_345, 1000);
    const [samples] = decodeWavSamples(info, file.subarray(start, end));
    expect(samples).toHaveLength(1000);
    expect(decodeTimecodeSample(samples![0]!)).toBe(12_345);
    expect(decodeTimecodeSample(samples![999]!)).toBe(13_344);
  });

  it("[M1] 16-bit stereo: channels are split and scaled to [-1, 1)", () => {
    const file = u8(encodeWav({ sampleRate: 8000, channels: 2, format: "pcm16", frames: 10, sample: (f, c) => (c === 0 ? 0.5 : -f / 10) }));
    const info = parseWavHeader(file, file.length)!;
    const [left, right] = decodeWavSamples(info, file.subarray(info.dataOffset));
    expect(left![3]).toBeCloseTo(0.5, 4);
    expect(right![5]).toBeCloseTo(-0.5, 4);
  });

  it("[M1] not a WAV, compressed WAV or a header cut before the data chunk: null", () => {
    expect(parseWavHeader(new TextEncoder().encode("ID3 something else entirely"), 100)).toBeNull();
    const file = u8(encodeWav({ sampleRate: 8000, channels: 1, format: "pcm16", frames: 10, sample: () => 0 }));
    expect(parseWavHeader(file.subarray(0, 30), file.length)).toBeNull();
    const adpcm = file.slice();
    adpcm[20] = 2;
    expect(parseWavHeader(adpcm, adpcm.length)).toBeNull();
  });

  it("[M1] a data size of 0 (a streamed recording) means 'to the end of the file'", () => {
    const file = u8(encodeWav({ sampleRate: 8000, channels: 1, format: "pcm16", frames: 100, sample: () => 0 }));
    const info = parseWavHeader(file, file.length)!;
    const open = file.slice();
    new DataView(open.buffer).setUint32(info.dataOffset - 4, 0, true);
    expect(parseWavHeader(open, open.length)!.frames).toBe(100);
  });
});
