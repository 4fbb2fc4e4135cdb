import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encoders, run, toneDir } from "../../test/encoders.js";
import { leadingTrim, parseXingFrame, trimmedSamples } from "./mp3-gapless.js";
import { findFrames, id3v2Size, parseMpegFrameHeader } from "./mpeg-audio.js";

const tools = encoders("mp3-gapless");
const FRAMES = 100_000;
const { dir, wav, remove } = toneDir(FRAMES);
afterAll(remove);

function firstFrameTag(path: string) {
  const bytes = new Uint8Array(readFileSync(path));
  const at = findFrames(bytes, id3v2Size(bytes))[0]!;
  const header = parseMpegFrameHeader(bytes, at)!;
  return { bytes, at, header, xing: parseXingFrame(bytes, at, header) };
}

describe("[M6] MP3 gapless info (LAME/Xing)", () => {
  it.runIf(tools.lame)("lame CBR: an Info tag whose delay and padding trim to the WAV's exact length", () => {
    const mp3 = join(dir, "cbr.mp3");
    run("lame", ["--quiet", "-b", "128", wav, mp3]);
    const { bytes, at, header, xing } = firstFrameTag(mp3);
    expect(xing?.kind).toBe("Info");
    expect(xing?.gapless?.encoderDelay).toBe(576);
    expect(trimmedSamples(xing!, header.samplesPerFrame)).toBe(FRAMES);
    expect(leadingTrim(xing)).toBe(576 + 529);
    // The tag counts the audio frames after it.
    expect(findFrames(bytes, at).length - 1).toBe(xing!.frames);
  });

  it.runIf(tools.lame)("lame VBR: a Xing tag with a 100-entry rising TOC", () => {
    const mp3 = join(dir, "vbr.mp3");
    run("lame", ["--quiet", "-V", "2", wav, mp3]);
    const { header, xing } = firstFrameTag(mp3);
    expect(xing?.kind).toBe("Xing");
    expect(xing?.toc).toHaveLength(100);
    expect([...xing!.toc!].sort((a, b) => a - b)).toEqual(xing!.toc);
    expect(trimmedSamples(xing!, header.samplesPerFrame)).toBe(FRAMES);
  });

  it.runIf(tools.ffmpeg)("ffmpeg libmp3lame (after an ID3v2 tag): delay and padding trim to the WAV's length", () => {
    const mp3 = join(dir, "ffmpeg.mp3");
    run("ffmpeg", ["-loglevel", "error", "-y", "-i", wav, "-c:a", "libmp3lame", "-b:a", "96k", mp3]);
    const { bytes, header, xing } = firstFrameTag(mp3);
    expect(id3v2Size(bytes)).toBeGreaterThan(0);
    expect(xing?.gapless).not.toBeNull();
    expect(trimmedSamples(xing!, header.samplesPerFrame)).toBe(FRAMES);
  });

  it.runIf(tools.lame)("a file written without the tag has no gapless info and trims nothing", () => {
    const mp3 = join(dir, "notag.mp3");
    run("lame", ["--quiet", "-t", "-b", "128", wav, mp3]);
    const { xing } = firstFrameTag(mp3);
    expect(xing).toBeNull();
    expect(leadingTrim(xing)).toBe(0);
  });
});

describe("MPEG frame sync", () => {
  it.runIf(tools.lame)("re-synchronises a range cut mid-frame to the next real frame boundary", () => {
    const mp3 = join(dir, "sync.mp3");
    run("lame", ["--quiet", "-b", "128", wav, mp3]);
    const bytes = new Uint8Array(readFileSync(mp3));
    const all = findFrames(bytes);
    const cut = all[40]! + 100;
    const resynced = findFrames(bytes.subarray(cut)).map((at) => at + cut);
    expect(resynced[0]).toBe(all[41]);
    expect(resynced).toEqual(all.slice(41, 41 + resynced.length));
  });

  it("refuses bytes that are not a Layer III header", () => {
    expect(parseMpegFrameHeader(Uint8Array.of(0xff, 0xfb, 0xf0, 0x00), 0)).toBeNull();
    expect(parseMpegFrameHeader(Uint8Array.of(0x00, 0xfb, 0x90, 0x00), 0)).toBeNull();
    expect(parseMpegFrameHeader(Uint8Array.of(0xff, 0xfb, 0x90, 0x00), 0)).toMatchObject({ bitrateKbps: 128, sampleRate: 44100, frameBytes: 417 });
  });
});
