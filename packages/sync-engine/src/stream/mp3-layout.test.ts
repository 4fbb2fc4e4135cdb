import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encoders, run, toneDir } from "../../test/encoders.js";
import { frameIndexAt, frameOffsetEstimate, parseMp3Layout } from "./mp3-layout.js";
import { findFrames, id3v2Size } from "./mpeg-audio.js";

const tools = encoders("mp3-layout");
const FRAMES = 441_000;
const { dir, wav, remove } = toneDir(FRAMES);
afterAll(remove);

/** The layout from the file's first 64 KiB after its ID3v2 tag, as the engine reads it, and every real frame offset. */
function layoutOf(path: string) {
  const bytes = new Uint8Array(readFileSync(path));
  const tagEnd = id3v2Size(bytes);
  const layout = parseMp3Layout(bytes.subarray(tagEnd, tagEnd + 65_536), tagEnd, bytes.length)!;
  const audio = findFrames(bytes, layout.audioStart);
  return { layout, audio };
}

describe("[M5] MP3 layout for range requests", () => {
  it.runIf(tools.ffmpeg)("CBR: every frame's offset estimated to the byte and its index read back exactly", () => {
    const mp3 = join(dir, "cbr.mp3");
    run("ffmpeg", ["-loglevel", "error", "-y", "-i", wav, "-c:a", "libmp3lame", "-b:a", "128k", mp3]);
    const { layout, audio } = layoutOf(mp3);
    expect(layout.totalFrames).toBe(FRAMES);
    expect(layout.leadingTrim).toBe(576 + 529);
    expect(layout.frameCount).toBe(audio.length);
    audio.forEach((offset, i) => {
      expect(Math.abs(frameOffsetEstimate(layout, i) - offset)).toBeLessThan(2);
      expect(frameIndexAt(layout, offset)).toBe(i);
    });
  });

  it.runIf(tools.lame)("VBR: the TOC estimate rises with the frame and stays within 2% of the file", () => {
    const mp3 = join(dir, "vbr.mp3");
    run("lame", ["--quiet", "-V", "2", wav, mp3]);
    const { layout, audio } = layoutOf(mp3);
    expect(layout.cbrFrameBytes).toBeNull();
    expect(layout.totalFrames).toBe(FRAMES);
    const span = layout.audioEnd - layout.audioStart;
    let previous = -1;
    audio.forEach((offset, i) => {
      const estimate = frameOffsetEstimate(layout, i);
      expect(estimate).toBeGreaterThanOrEqual(previous);
      expect(Math.abs(estimate - offset) / span).toBeLessThan(0.02);
      previous = estimate;
    });
  });

  it.runIf(tools.lame)("an untagged CBR file is laid out by arithmetic, with nothing trimmed", () => {
    const mp3 = join(dir, "notag.mp3");
    run("lame", ["--quiet", "-t", "-b", "128", wav, mp3]);
    const { layout, audio } = layoutOf(mp3);
    expect(layout.leadingTrim).toBe(0);
    expect(layout.frameCount).toBe(audio.length);
    expect(frameIndexAt(layout, audio.at(-1)!)).toBe(audio.length - 1);
  });

  it("is null for bytes that hold no MP3 frames", () => {
    expect(parseMp3Layout(new Uint8Array(4096), 0, 4096)).toBeNull();
  });
});
