import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encoders, run, toneDir } from "../../test/encoders.js";
import { findOggPages, lastGranule, pageStartGranule, parseOpusHead, type OggPage } from "./ogg-opus.js";
import { opusDecoderConfig } from "./codec-config.js";
import { oggPackets, opusPackets } from "./ogg-packets.js";

/** A page over `bytes` whose pieces are `[offset, length]`; `openEnd` when its last piece continues. */
const page = (pieces: [number, number][], flags: { continued?: boolean; openEnd?: boolean } = {}): OggPage => ({
  offset: 0,
  end: 0,
  continued: flags.continued ?? false,
  last: false,
  granule: 0,
  sequence: 0,
  packets: pieces.map(([offset, length]) => ({ offset, length })),
  openEnd: flags.openEnd ?? false,
});

describe("[M15] Ogg pages into the Opus packets a WebCodecs decoder takes", () => {
  const bytes = Uint8Array.from({ length: 64 }, (_, i) => i);

  it("whole packets come out as they are; a packet continued on the next page is joined", () => {
    const packets = oggPackets(bytes, [page([[0, 2], [2, 3]], { openEnd: true }), page([[10, 2], [12, 1]], { continued: true })]);
    expect(packets.map((p) => [...p])).toEqual([[0, 1], [2, 3, 4, 10, 11], [12]]);
  });

  it("a packet over three pages is joined whole", () => {
    const packets = oggPackets(bytes, [page([[0, 2]], { openEnd: true }), page([[20, 3]], { continued: true, openEnd: true }), page([[30, 1], [40, 1]], { continued: true })]);
    expect(packets.map((p) => [...p])).toEqual([[0, 1, 20, 21, 22, 30], [40]]);
  });

  it("a piece continuing a packet begun before the first page, and one still open after the last, are left out", () => {
    const packets = oggPackets(bytes, [page([[0, 2], [2, 1]], { continued: true }), page([[5, 1], [6, 2]], { openEnd: true })]);
    expect(packets.map((p) => [...p])).toEqual([[2], [5]]);
  });

  it("each packet's samples come from its TOC byte (RFC 6716 §3.1)", () => {
    // Config 31 (CELT, 20 ms): code 0 is one frame, code 1 two.
    const toc = Uint8Array.of(0xf8, 0, 0xf9, 0);
    expect(opusPackets(toc, [page([[0, 2], [2, 2]])]).frameSamples).toEqual([960, 1920]);
  });
});

const tools = encoders("ogg-packets");
const { dir, wav, remove } = toneDir(441_000);
afterAll(remove);

describe.runIf(tools.ffmpeg)("[M15] the packets and the decoder config of a real Ogg Opus file", () => {
  const file = () => {
    const opus = join(dir, "tone.opus");
    run("ffmpeg", ["-loglevel", "error", "-y", "-i", wav, "-c:a", "libopus", "-b:a", "96k", opus]);
    return new Uint8Array(readFileSync(opus));
  };

  it("the description is the 19-byte OpusHead packet, with the file's pre-skip; 48 kHz", () => {
    const head = parseOpusHead(file())!;
    const config = opusDecoderConfig(head.headerPages, head.channels)!;
    const description = config.description as Uint8Array;
    expect(String.fromCharCode(...description.subarray(0, 8))).toBe("OpusHead");
    expect(description.length).toBe(19);
    expect(description[10]! | (description[11]! << 8)).toBe(head.preSkip);
    expect(config).toMatchObject({ codec: "opus", sampleRate: 48_000, numberOfChannels: 1 });
  });

  it("the packets' durations add up to every page's granule position (pages ending mid-packet included)", () => {
    const bytes = file();
    const head = parseOpusHead(bytes)!;
    const audio = bytes.subarray(head.audioStart);
    const pages = findOggPages(audio);
    let checked = 0;
    for (let i = 1; i < pages.length - 1; i++) {
      if (pageStartGranule(audio, pages[i]!) === null) continue;
      const { frameSamples } = opusPackets(audio, pages.slice(0, i));
      expect(frameSamples.reduce((sum, n) => sum + n, 0)).toBe(pages[i - 1]!.granule);
      checked++;
    }
    expect(checked).toBeGreaterThan(2);
    const all = opusPackets(audio, pages).frameSamples.reduce((sum, n) => sum + n, 0);
    // The last page's granule trims the end inside its last packet.
    expect(all - lastGranule(audio)!).toBeGreaterThanOrEqual(0);
    expect(all - lastGranule(audio)!).toBeLessThan(2880);
  });
});
