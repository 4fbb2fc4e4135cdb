import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encoders, run, toneDir } from "../../test/encoders.js";
import { estimateFrameOffset, findFrameRun, firstElementBits } from "./aac-seek.js";
import { aacFramesFor, frameTable, PRIMING_FRAMES } from "./aac-source.js";
import { adtsStream, isMp4, parseChunkLayout } from "./mp4.js";
import { AAC_FRAME_SAMPLES, rangeReader, readMp4AacTrack } from "./mp4-moov.js";
import { rangeServer } from "../../test/range-server.js";

const tools = encoders("mp4");
const FRAMES = 441_000;
const { dir, wav, remove } = toneDir(FRAMES);
afterAll(remove);

/** Samples of `path` as 16-bit mono, decoded by ffmpeg (what Chromium's decodeAudioData uses; it applies the edit list). */
const pcm = (path: string) => new Int16Array(new Uint8Array(execFileSync("ffmpeg", ["-loglevel", "error", "-i", path, "-f", "s16le", "-ac", "1", "-"], { maxBuffer: 64 << 20 })).buffer);

const HEAD = 65_536;
async function openTrack(file: Uint8Array) {
  const { download, sent } = rangeServer(file);
  const reader = rangeReader("file.m4a", file.length, download, file.slice(0, HEAD));
  const track = await readMp4AacTrack(reader, file.length);
  return { track, reader, sent };
}

describe.runIf(tools.ffmpeg)("[M13] the AAC track of an M4A, read by range", { timeout: 60_000 }, () => {
  const encode = (name: string, args: string[]) => {
    const path = join(dir, name);
    run("ffmpeg", ["-loglevel", "error", "-y", "-i", wav, "-c:a", "aac", "-b:a", "96k", ...args, path]);
    return path;
  };
  const atEnd = encode("tone.m4a", []);
  const atStart = encode("tone-faststart.m4a", ["-movflags", "+faststart"]);

  it("reads the same track with the moov after the mdat (two ranges) and before it (in the head)", async () => {
    const late = await openTrack(new Uint8Array(readFileSync(atEnd)));
    const early = await openTrack(new Uint8Array(readFileSync(atStart)));
    expect(isMp4(new Uint8Array(readFileSync(atEnd)))).toBe(true);
    // ffmpeg's aac: 1024 samples of priming in the edit list, the track exactly the WAV's length.
    expect(late.track).toMatchObject({ sampleRate: 44_100, channels: 1, leadingTrim: 1024, totalFrames: FRAMES, config: { objectType: 2, frequencyIndex: 4, channelConfig: 1 } });
    expect(late.track!.frameCount).toBe(Math.ceil((FRAMES + 1024) / AAC_FRAME_SAMPLES));
    const { chunks: _a, sizes: _b, mediaEnd: _c, ...shape } = late.track!;
    expect(early.track).toMatchObject(shape);
    expect(early.sent.requests).toBe(0);
    // The header at the mdat's end, with the moov (smaller than one read here) in the same range.
    expect(late.sent.requests).toBe(1);
    expect(late.sent.bytes).toBeLessThan(64 * 1024);
  });

  it("places every frame back to back from the mdat's start to its end, reading the sizes in blocks", async () => {
    const file = new Uint8Array(readFileSync(atEnd));
    const { track, reader } = await openTrack(file);
    const table = frameTable(track!, reader);
    await table.ensure(track!.frameCount);
    const mdatEnd = track!.chunks.offset[0]! - 8 + new DataView(file.buffer, file.byteOffset + track!.chunks.offset[0]! - 8).getUint32(0);
    for (let f = 1; f < track!.frameCount; f++) expect(table.offset(f)).toBe(table.offset(f - 1) + table.size(f - 1));
    expect(table.offset(track!.frameCount - 1) + table.size(track!.frameCount - 1)).toBe(mdatEnd);
  });

  it("the frames wrapped in ADTS are byte for byte ffmpeg's own ADTS encode", async () => {
    const file = new Uint8Array(readFileSync(atEnd));
    const { track, reader } = await openTrack(file);
    const table = frameTable(track!, reader);
    await table.ensure(track!.frameCount);
    const frames = Array.from({ length: track!.frameCount }, (_, f) => file.subarray(table.offset(f), table.offset(f) + table.size(f)));
    const adts = new Uint8Array(readFileSync(encode("tone.aac", ["-f", "adts"])));
    expect(Buffer.from(adtsStream(track!.config, frames)).equals(Buffer.from(adts))).toBe(true);
  });

  it("a span decoded from its frames and the two before, cut to its samples, equals the whole file's samples (to the last bits)", async () => {
    const file = new Uint8Array(readFileSync(atEnd));
    const { track, reader } = await openTrack(file);
    const table = frameTable(track!, reader);
    const whole = pcm(atEnd);
    // The ffmpeg CLI trims the edit's start (the priming) but keeps the last frame's padding.
    expect(whole.length).toBeGreaterThanOrEqual(FRAMES);
    for (const span of [{ start: 0, end: 22_050 }, { start: 100_003, end: 150_007 }, { start: FRAMES - 5000, end: FRAMES }]) {
      const { first, end } = aacFramesFor(span, track!.leadingTrim, track!.frameCount);
      expect(first).toBe(Math.max(0, Math.floor((span.start + 1024) / AAC_FRAME_SAMPLES) - PRIMING_FRAMES));
      await table.ensure(end);
      const frames = Array.from({ length: end - first }, (_, i) => file.subarray(table.offset(first + i), table.offset(first + i) + table.size(first + i)));
      const part = join(dir, "part.aac");
      writeFileSync(part, adtsStream(track!.config, frames));
      const skip = span.start - (first * AAC_FRAME_SAMPLES - track!.leadingTrim);
      const decoded = pcm(part).subarray(skip, skip + span.end - span.start);
      expect(decoded.length).toBe(span.end - span.start);
      // AAC decodes are not bit-exact across starting points: the same frames decoded from another
      // start differ in the last bits (up to 5 of 32,768 here, as much when started 232 frames back,
      // so not the priming; e.g. noise-substituted bands come from the decoder's random state).
      // A sample or a frame off would differ by thousands (the tone's amplitude is 8,000).
      const worst = decoded.reduce((most, v, i) => Math.max(most, Math.abs(v - whole[span.start + i]!)), 0);
      expect(worst).toBeLessThanOrEqual(8);
    }
  });

  it("[M14] a run of frame sizes is found in bytes read around the interpolated offset, and nowhere else", async () => {
    const file = new Uint8Array(readFileSync(atEnd));
    const { track, reader } = await openTrack(file);
    const table = frameTable(track!, reader);
    await table.ensure(track!.frameCount);
    const element = firstElementBits(track!.config.channelConfig);
    for (const first of [37, 200, 390]) {
      const sizes = await table.sizes(first, first + 30);
      const truth = table.offset(first);
      // ffmpeg's aac holds its bitrate: the interpolation is within a few frames of the truth.
      expect(Math.abs(estimateFrameOffset(track!, first) - truth)).toBeLessThan(4096);
      for (const before of [0, 1, 777, 4000]) expect(findFrameRun(file.subarray(truth - before, truth + 12_000), sizes, element)).toBe(before);
      // A window that starts past the frame matches nowhere; the next frame's sizes, only at the next frame.
      expect(findFrameRun(file.subarray(truth + 1, truth + 12_000), sizes, element)).toBe(-1);
      expect(findFrameRun(file.subarray(truth - 4000, truth + 12_000), await table.sizes(first + 1, first + 31), element)).toBe(4000 + sizes[0]!);
    }
  });

  it("another codec in an MP4 is left to the whole-file decode", async () => {
    const mp3InMp4 = encode("tone-mp3.mp4", ["-c:a", "libmp3lame"]);
    expect((await openTrack(new Uint8Array(readFileSync(mp3InMp4)))).track).toBeNull();
  });
});

describe("[M13] the sample-to-chunk layout", () => {
  /** A box body of big-endian 32-bit words. */
  const table = (words: number[]) => {
    const body = new DataView(new ArrayBuffer(4 * words.length));
    words.forEach((w, i) => body.setUint32(4 * i, w));
    return new Uint8Array(body.buffer);
  };

  it("expands stsc runs over the chunks, and each chunk's frames start at its offset", async () => {
    // Runs: chunks 1–2 hold 3 frames each, chunk 3 on hold 2; four chunks.
    const stsc = table([0, 2, 1, 3, 1, 3, 2, 1]);
    const stco = table([0, 4, 1000, 2000, 3000, 4000]);
    const layout = parseChunkLayout(stsc, stco, false, 10);
    expect(Array.from(layout.firstSample)).toEqual([0, 3, 6, 8, 10]);
    const track = { frameCount: 10, chunks: layout, sizes: { constant: 10 } } as Parameters<typeof frameTable>[0];
    const frames = frameTable(track, { bytes: () => Promise.reject(new Error("constant sizes read nothing")) });
    await frames.ensure(10);
    expect(Array.from({ length: 10 }, (_, f) => frames.offset(f))).toEqual([1000, 1010, 1020, 2000, 2010, 2020, 3000, 3010, 4000, 4010]);
  });
});
