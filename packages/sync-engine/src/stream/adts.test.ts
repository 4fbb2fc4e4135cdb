import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encoders, run, toneDir } from "../../test/encoders.js";
import { adtsFrameBytes, adtsStreamAt, parseAdtsHeader } from "./adts.js";
import { ADTS_PRIMING_SAMPLES } from "./adts-source.js";
import { buildAdtsFrameIndex, frameIndexLookup } from "./mp3-frame-index.js";
import { adtsStream } from "./mp4.js";

const tools = encoders("adts");
const FRAMES = 441_000;
const { dir, wav, remove } = toneDir(FRAMES);
afterAll(remove);

/** Stereo AAC-LC at 44.1 kHz (frequency index 4). */
const STEREO = { objectType: 2, frequencyIndex: 4, channelConfig: 2 };
/** Raw frames of these sizes (their bytes never matter to the walk). */
const framesOf = (sizes: number[]) => sizes.map((size, i) => new Uint8Array(size).fill(i + 1));

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

describe("[M21] ADTS frames by their headers", () => {
  it("reads a header's rate, channels and frame length; refuses other profiles, several blocks, a bad sync", () => {
    const stream = adtsStream(STEREO, framesOf([300, 41]));
    expect(parseAdtsHeader(stream, 0)).toEqual({ frameBytes: 307, headerBytes: 7, frequencyIndex: 4, sampleRate: 44_100, channelConfig: 2 });
    expect(parseAdtsHeader(stream, 307)?.frameBytes).toBe(48);
    expect(parseAdtsHeader(adtsStream({ ...STEREO, objectType: 5 }, framesOf([300])), 0)).toBeNull();
    const twoBlocks = stream.slice();
    twoBlocks[6] = 0xfd;
    expect(parseAdtsHeader(twoBlocks, 0)).toBeNull();
    expect(parseAdtsHeader(stream, 1)).toBeNull();
  });

  it("a stream is four agreeing headers in a row (or two that reach the end); a lone sync word is not", () => {
    const stream = adtsStream(STEREO, framesOf([200, 180, 220, 190, 210]));
    expect(adtsStreamAt(stream, 0)?.sampleRate).toBe(44_100);
    expect(adtsStreamAt(stream.subarray(0, 207 + 187 + 3), 0)).not.toBeNull();
    const lone = new Uint8Array(2000);
    lone.set(stream.subarray(0, 7));
    expect(adtsStreamAt(lone, 0)).toBeNull();
    const mono = adtsStream({ ...STEREO, channelConfig: 1 }, framesOf([180]));
    expect(adtsFrameBytes(mono, 0, parseAdtsHeader(stream, 0)!)).toBeNull();
  });

  it("the frame index of a synthetic stream: every 32nd frame's offset, the count, the end, whatever the chunking", async () => {
    const sizes = Array.from({ length: 100 }, (_, i) => 150 + ((i * 37) % 90));
    const stream = adtsStream(STEREO, framesOf(sizes));
    const index = (await buildAdtsFrameIndex(chunked(stream, 1000)))!;
    expect(index).toMatchObject({ frameStep: 32, audioStart: 0, audioEnd: stream.length, frameCount: 100 });
    const offsetOf = (frame: number) => sizes.slice(0, frame).reduce((sum, n) => sum + n + 7, 0);
    expect(frameIndexLookup(index).atOrBefore(70)).toEqual({ frame: 64, offset: offsetOf(64) });
    expect(await buildAdtsFrameIndex(chunked(stream.subarray(1), 1000))).toBeNull();
  });

  it.runIf(tools.ffmpeg)("ffmpeg's ADTS: frames to the file's end, the length its priming less", async () => {
    const path = join(dir, "tone.aac");
    run("ffmpeg", ["-loglevel", "error", "-y", "-i", wav, "-c:a", "aac", "-b:a", "128k", "-f", "adts", path]);
    const bytes = new Uint8Array(readFileSync(path));
    const index = (await buildAdtsFrameIndex(chunked(bytes, 65_536)))!;
    expect(index.audioEnd).toBe(bytes.length);
    // 441,000 samples and the encoder's 1024 of priming, in whole frames of 1024.
    expect(index.frameCount).toBe(Math.ceil((FRAMES + ADTS_PRIMING_SAMPLES) / 1024));
  });
});
