import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MP3_FRAME_INDEX_REL, Mp3FrameIndex } from "@sync-beats/protocol";
import { afterAll, describe, expect, it } from "vitest";
import { encoders, run, toneDir } from "../../test/encoders.js";
import { buildMp3FrameIndex, frameIndexLookup, linkedFrameIndexUrl, truncatedMp3DurationMs } from "./mp3-frame-index.js";
import { parseMp3Layout } from "./mp3-layout.js";
import { findFrames, id3v2Size } from "./mpeg-audio.js";

const tools = encoders("mp3-frame-index");
const FRAMES = 441_000;
const { dir, wav, remove } = toneDir(FRAMES);
afterAll(remove);

/** `bytes` as a stream of `size`-byte chunks. */
async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** Every audio frame's offset, by walking the whole file at once, and the engine's layout. */
function truth(bytes: Uint8Array) {
  const tagEnd = id3v2Size(bytes);
  const layout = parseMp3Layout(bytes.subarray(tagEnd, tagEnd + 65_536), tagEnd, bytes.length)!;
  return { layout, frames: findFrames(bytes, layout.audioStart) };
}

describe("[M8] MP3 frame index", () => {
  it.runIf(tools.lame)("VBR with ID3 tags: every 32nd audio frame's offset, the same whatever the chunking", async () => {
    const mp3 = join(dir, "vbr-tagged.mp3");
    run("lame", ["--quiet", "-V", "2", "--add-id3v2", "--tt", "A long mix", wav, mp3]);
    const bytes = new Uint8Array(readFileSync(mp3));
    const { layout, frames } = truth(bytes);
    const index = (await buildMp3FrameIndex(chunked(bytes, 65_536)))!;
    expect(Mp3FrameIndex.safeParse(index).success).toBe(true);
    expect(index.audioStart).toBe(layout.audioStart);
    expect(index.frameCount).toBe(layout.frameCount);
    expect(index.frameCount).toBe(frames.length);
    // lame puts an ID3v1 tag after the audio: the walk stops there.
    expect(String.fromCharCode(...bytes.subarray(index.audioEnd, index.audioEnd + 3))).toBe("TAG");
    const lookup = frameIndexLookup(index);
    for (let frame = 0; frame < frames.length; frame += 7) {
      const anchor = lookup.atOrBefore(frame);
      expect(anchor.frame).toBe(Math.floor(frame / 32) * 32);
      expect(anchor.offset).toBe(frames[anchor.frame]);
      const after = Math.ceil(frame / 32) * 32;
      expect(lookup.offsetAtOrAfter(frame)).toBe(after < frames.length ? frames[after] : index.audioEnd);
    }
    expect(await buildMp3FrameIndex(chunked(bytes, 1000))).toEqual(index);
    expect(await buildMp3FrameIndex(chunked(bytes, bytes.length))).toEqual(index);
  });

  it.runIf(tools.ffmpeg)("CBR from ffmpeg: frame 0 follows the Info frame", async () => {
    const mp3 = join(dir, "cbr.mp3");
    run("ffmpeg", ["-loglevel", "error", "-y", "-i", wav, "-c:a", "libmp3lame", "-b:a", "128k", mp3]);
    const bytes = new Uint8Array(readFileSync(mp3));
    const { layout, frames } = truth(bytes);
    const index = (await buildMp3FrameIndex(chunked(bytes, 4096)))!;
    expect(index.audioStart).toBe(layout.audioStart);
    expect(index.frameCount).toBe(frames.length);
    expect(index.audioEnd).toBe(bytes.length);
  });

  it.runIf(tools.lame)("a file cut off before its Xing header's end: its real length from the frames it holds; a whole file: null", async () => {
    const mp3 = join(dir, "vbr-cut.mp3");
    run("lame", ["--quiet", "-V", "2", wav, mp3]);
    const whole = new Uint8Array(readFileSync(mp3));
    const { layout } = truth(whole);
    const head = (bytes: Uint8Array) => bytes.subarray(0, 65_536);
    expect(truncatedMp3DurationMs(head(whole), 0, whole.length, (await buildMp3FrameIndex(chunked(whole, 65_536)))!)).toBeNull();

    const cut = whole.subarray(0, Math.round(whole.length / 3));
    const held = findFrames(cut, layout.audioStart).length;
    const lengthMs = truncatedMp3DurationMs(head(cut), 0, cut.length, (await buildMp3FrameIndex(chunked(cut, 65_536)))!);
    // The header still claims the whole 10 s; the frames held are a third of them.
    expect(layout.totalFrames / layout.sampleRate).toBeCloseTo(FRAMES / 44_100, 1);
    expect(lengthMs).toBeCloseTo(((held * 1152 - layout.leadingTrim) / 44_100) * 1000, 6);
    expect(lengthMs!).toBeGreaterThan(2_500);
    expect(lengthMs!).toBeLessThan(4_500);
  });

  it("drops a last frame cut short, and is null for a file that is not MP3", async () => {
    const header = [0xff, 0xfb, 0x90, 0x64]; // MPEG-1 Layer III, 128 kbps, 44.1 kHz: 417 bytes
    const frame = new Uint8Array(417);
    frame.set(header);
    const bytes = new Uint8Array(417 * 3 + 100);
    for (let i = 0; i < 4; i++) bytes.set(i < 3 ? frame : frame.subarray(0, 100), i * 417);
    const index = (await buildMp3FrameIndex(chunked(bytes, 300), 2))!;
    expect(index).toEqual({ frameStep: 2, audioStart: 0, audioEnd: 3 * 417, frameCount: 3, steps: [834] });
    expect(await buildMp3FrameIndex(chunked(new TextEncoder().encode("not audio at all ".repeat(100)), 64))).toBeNull();
  });
});

describe("[M8] the Link header naming the frame index", () => {
  const track = "https://api.example/api/tracks/abc/audio";
  it("resolves the linked index against the track's URL", () => {
    expect(linkedFrameIndexUrl(`</api/tracks/abc/mp3-frames>; rel="${MP3_FRAME_INDEX_REL}"`, track)).toBe("https://api.example/api/tracks/abc/mp3-frames");
    expect(linkedFrameIndexUrl(`<https://cdn.example/x>; rel="next", <frames>; rel=${MP3_FRAME_INDEX_REL}`, track)).toBe("https://api.example/api/tracks/abc/frames");
  });

  it("is null without a link of that relation", () => {
    expect(linkedFrameIndexUrl(null, track)).toBeNull();
    expect(linkedFrameIndexUrl(`</other>; rel="next"`, track)).toBeNull();
  });
});
