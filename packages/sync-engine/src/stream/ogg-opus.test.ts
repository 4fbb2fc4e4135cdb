import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encoders, run, toneDir } from "../../test/encoders.js";
import { findOggPages, lastGranule, pageStartGranule, parseOggPage, parseOpusHead } from "./ogg-opus.js";

const tools = encoders("ogg-opus");
const FRAMES = 441_000;
const { dir, wav, remove } = toneDir(FRAMES);
afterAll(remove);

describe.runIf(tools.ffmpeg)("[M10] Ogg Opus pages for range requests", () => {
  const opus = join(dir, "tone.opus");
  const bytes = () => {
    run("ffmpeg", ["-loglevel", "error", "-y", "-i", wav, "-c:a", "libopus", "-b:a", "96k", opus]);
    return new Uint8Array(readFileSync(opus));
  };

  it("reads the Opus headers, where the audio starts and the track's length", () => {
    const file = bytes();
    const head = parseOpusHead(file.subarray(0, 65_536))!;
    expect(head.channels).toBe(1);
    expect(head.preSkip).toBe(312);
    expect(parseOggPage(file, head.audioStart)?.granule).toBeGreaterThan(0);
    // 10 s at 44.1 kHz is 480,000 samples at 48 kHz.
    expect(lastGranule(file.subarray(file.length - 65_536))! - head.preSkip).toBe(480_000);
    expect(parseOpusHead(new Uint8Array(100))).toBeNull();
  });

  it("every page's start, from its packets' durations, is where the page before it ended", () => {
    const file = bytes();
    const head = parseOpusHead(file)!;
    const pages = findOggPages(file.subarray(head.audioStart));
    expect(pages.at(-1)!.end + head.audioStart).toBe(file.length);
    expect(pageStartGranule(file.subarray(head.audioStart), pages[0]!)).toBe(0);
    let checked = 0;
    pages.slice(1).forEach((page, i) => {
      const start = pageStartGranule(file.subarray(head.audioStart), page);
      if (start === null) return;
      expect(start).toBe(pages[i]!.granule);
      checked++;
    });
    expect(checked).toBeGreaterThan(5);
  });

  it("a range cut anywhere re-synchronises on the same pages, and a corrupted page is refused", () => {
    const file = bytes();
    const head = parseOpusHead(file)!;
    const all = findOggPages(file).map((p) => p.offset);
    const part = findOggPages(file.subarray(30_011, 90_007)).map((p) => p.offset + 30_011);
    expect(part.length).toBeGreaterThan(2);
    expect(all).toEqual(expect.arrayContaining(part));
    const broken = file.slice();
    broken[head.audioStart + 40]! ^= 0xff;
    expect(parseOggPage(broken, head.audioStart)).toBeNull();
  });
});
