import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encoders, run, toneDir } from "../../test/encoders.js";
import { rangeServer } from "../../test/range-server.js";
import { findFlacFrames, flacFileOf, parseFlacFrameHeader, parseFlacStart, walkFlacMetadata, type FlacHead } from "./flac.js";
import { readFlacHead } from "./flac-source.js";
import type { StreamInput } from "./windowed-source.js";

const tools = encoders("flac");

/** The head of a FLAC whose metadata all lies in `bytes`. */
function parseFlacHead(bytes: Uint8Array): FlacHead | null {
  const start = parseFlacStart(bytes);
  const walk = walkFlacMetadata(bytes, 0, 4);
  return start && "audioStart" in walk ? { ...start, audioStart: walk.audioStart } : null;
}
const FRAMES = 441_000;
const { dir, wav, remove } = toneDir(FRAMES);
afterAll(remove);

/** Samples of `path` as 16-bit mono, decoded by ffmpeg (what Chromium's decodeAudioData uses). */
const pcm = (path: string) => new Int16Array(new Uint8Array(execFileSync("ffmpeg", ["-loglevel", "error", "-i", path, "-f", "s16le", "-ac", "1", "-"], { maxBuffer: 64 << 20 })).buffer);

describe.runIf(tools.ffmpeg)("[M9] FLAC frames for range requests", () => {
  const flac = join(dir, "tone.flac");
  const bytes = () => {
    run("ffmpeg", ["-loglevel", "error", "-y", "-i", wav, "-c:a", "flac", flac]);
    return new Uint8Array(readFileSync(flac));
  };

  it("reads STREAMINFO and where the frames start", () => {
    const file = bytes();
    const head = parseFlacHead(file.subarray(0, 65_536))!;
    expect(head.info).toMatchObject({ sampleRate: 44_100, channels: 1, bitsPerSample: 16, totalSamples: FRAMES });
    expect(parseFlacFrameHeader(file, head.audioStart, head.info)).toMatchObject({ offset: head.audioStart, firstSample: 0 });
    expect(parseFlacHead(new Uint8Array(100))).toBeNull();
  });

  it("finds every frame of the file in order, and the same frames in a range cut anywhere", () => {
    const file = bytes();
    const head = parseFlacHead(file)!;
    const all = findFlacFrames(file.subarray(head.audioStart), head.info, true);
    expect(all[0]!.firstSample).toBe(0);
    expect(all.reduce((sum, f) => sum + f.blockSize, 0)).toBe(FRAMES);
    all.slice(1).forEach((f, i) => expect(f.offset).toBe(all[i]!.end));
    expect(all.at(-1)!.end + head.audioStart).toBe(file.length);
    for (const [from, to] of [[10_007, 60_011], [123_457, 200_001]] as const) {
      const part = findFlacFrames(file.subarray(from, to), head.info, false);
      expect(part.length).toBeGreaterThan(2);
      const absolute = part.map((f) => ({ ...f, offset: f.offset + from, end: f.end + from }));
      const truth = all.map((f) => ({ ...f, offset: f.offset + head.audioStart, end: f.end + head.audioStart }));
      const firstIndex = truth.findIndex((f) => f.offset === absolute[0]!.offset);
      expect(firstIndex).toBeGreaterThan(0);
      expect(absolute).toEqual(truth.slice(firstIndex, firstIndex + absolute.length));
      // The last whole frame before the cut is left out: its end is where the next one starts.
      expect(absolute.at(-1)!.end).toBeLessThanOrEqual(to);
    }
  });

  it("frames made into a FLAC of their own decode to the same samples as the whole file", () => {
    const file = bytes();
    const head = parseFlacHead(file)!;
    const all = findFlacFrames(file.subarray(head.audioStart), head.info, true);
    const [first, last] = [all[20]!, all[40]!];
    const part = join(dir, "part.flac");
    writeFileSync(part, flacFileOf(head, file.subarray(head.audioStart + first.offset, head.audioStart + last.end)));
    const whole = pcm(flac);
    const decoded = pcm(part);
    expect(decoded.length).toBe(last.firstSample + last.blockSize - first.firstSample);
    expect(Array.from(decoded)).toEqual(Array.from(whole.subarray(first.firstSample, first.firstSample + decoded.length)));
  });
});

/** A metadata block header: type, last flag, body length. */
const blockHeader = (type: number, last: boolean, size: number) => Uint8Array.of((last ? 0x80 : 0) | type, size >> 16, (size >> 8) & 0xff, size & 0xff);

/** `fLaC`, a STREAMINFO (44.1 kHz mono, 4096-sample blocks, 441,000 samples), then blocks of these types and sizes, then `audio`. */
function synthetic(blocks: readonly [type: number, size: number][], audio: Uint8Array): Uint8Array {
  const info = new Uint8Array(34);
  info.set([0x10, 0x00, 0x10, 0x00]);
  info.set([0x0a, 0xc4, 0x40, 0xf0, 0x00, 0x06, 0xba, 0xa8], 10);
  const parts: Uint8Array[] = [new TextEncoder().encode("fLaC"), blockHeader(0, blocks.length === 0, 34), info];
  blocks.forEach(([type, size], i) => parts.push(blockHeader(type, i === blocks.length - 1, size), new Uint8Array(size).fill(0xff)));
  parts.push(audio);
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

describe("[M22] FLAC metadata past the head, walked block by block by range", () => {
  const audio = new Uint8Array(50_000).fill(7);
  const inputFor = (file: Uint8Array) => {
    const server = rangeServer(file);
    return { input: { url: "t.flac", fileSize: file.length, download: server.download } as StreamInput, sent: server.sent };
  };

  it("steps over a 200 KB picture with one 8 KiB range at the block after it, never reading the picture", async () => {
    const file = synthetic([[6, 200_000], [4, 40], [1, 8192]], audio);
    const { input, sent } = inputFor(file);
    const head = await readFlacHead(parseFlacStart(file)!, file.subarray(0, 65_536), input);
    expect(head?.info).toMatchObject({ sampleRate: 44_100, channels: 1, totalSamples: 441_000 });
    expect(head?.audioStart).toBe(file.length - audio.length);
    expect(sent).toEqual({ requests: 1, bytes: 8192 });
  });

  it("reads nothing more when the head holds the metadata, and gives up on blocks that run past the file", async () => {
    const small = synthetic([[4, 40]], audio);
    const { input, sent } = inputFor(small);
    expect((await readFlacHead(parseFlacStart(small)!, small.subarray(0, 65_536), input))?.audioStart).toBe(small.length - audio.length);
    expect(sent.requests).toBe(0);
    const truncated = synthetic([[6, 200_000]], new Uint8Array(0)).subarray(0, 150_000);
    expect(await readFlacHead(parseFlacStart(truncated)!, truncated.subarray(0, 65_536), inputFor(truncated).input)).toBeNull();
  });

  it("STREAMINFO must be the first block", () => {
    const file = synthetic([], audio);
    file[4] = 4;
    expect(parseFlacStart(file)).toBeNull();
  });
});
