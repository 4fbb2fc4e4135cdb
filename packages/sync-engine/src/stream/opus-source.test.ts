import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encoders, run, toneDir } from "../../test/encoders.js";
import { rangeServer } from "../../test/range-server.js";
import { findOggPages, parseOpusHead } from "./ogg-opus.js";
import { opusLength, OPUS_RATE, pageReach } from "./opus-source.js";
import type { StreamInput } from "./windowed-source.js";

const tools = encoders("opus-source");
const FRAMES = 441_000;
const { dir, wav, remove } = toneDir(FRAMES);
afterAll(remove);

/** ffmpeg's Ogg Opus of the 10-s tone, its pages `pageS` long at most. */
const encode = (name: string, pageS: number) => {
  const path = join(dir, name);
  run("ffmpeg", ["-loglevel", "error", "-y", "-i", wav, "-c:a", "libopus", "-b:a", "96k", "-page_duration", String(pageS * 1e6), path]);
  return new Uint8Array(readFileSync(path));
};

const inputFor = (file: Uint8Array) => {
  const { download, sent } = rangeServer(file);
  return { input: { url: "t.opus", fileSize: file.length, download } as StreamInput, sent };
};

describe.runIf(tools.ffmpeg)("[M20] an Ogg Opus start in fewer bytes and round trips", () => {
  it("reads the length from an 8 KiB tail when the last page fits in it (ffmpeg's 1-s pages)", async () => {
    const file = encode("short-pages.opus", 1);
    const { input, sent } = inputFor(file);
    expect(await opusLength(parseOpusHead(file)!, input)).toBe(480_000);
    expect(sent).toEqual({ requests: 1, bytes: 8192 });
  });

  it("reads a last page longer than the tail from a second range of one page's largest size", async () => {
    const file = encode("long-pages.opus", 10);
    const last = findOggPages(file).at(-1)!;
    expect(last.end - last.offset).toBeGreaterThan(8192);
    const { input, sent } = inputFor(file);
    expect(await opusLength(parseOpusHead(file)!, input)).toBe(480_000);
    expect(sent.requests).toBe(2);
  });

  it("a range reaches a quarter more than the head's largest whole page, not two seconds", () => {
    const file = encode("reach.opus", 1);
    const head = parseOpusHead(file)!;
    const headAudio = file.subarray(head.audioStart, 65_536);
    // Only whole pages are found: the one the range cuts short is not among them.
    const largest = Math.max(...findOggPages(headAudio).map((p) => p.end - p.offset));
    const bytesPerSample = (file.length - head.audioStart) / 480_000;
    const reach = pageReach(headAudio, bytesPerSample);
    expect(reach).toBe(Math.ceil(1.25 * largest));
    expect(reach).toBeLessThan(2 * OPUS_RATE * bytesPerSample);
    // A head holding no whole page falls back to two seconds at the average rate.
    expect(pageReach(headAudio.subarray(0, 1000), bytesPerSample)).toBe(Math.ceil(2 * OPUS_RATE * bytesPerSample));
  });
});
