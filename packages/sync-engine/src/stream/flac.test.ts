import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encoders, run, toneDir } from "../../test/encoders.js";
import { findFlacFrames, flacFileOf, parseFlacHead, parseFlacFrameHeader } from "./flac.js";

const tools = encoders("flac");
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
