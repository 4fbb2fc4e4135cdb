import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encoders, run, toneDir } from "../../test/encoders.js";
import { rangeServer } from "../../test/range-server.js";
import { parseItunSmpb, readBoxHeader } from "./mp4.js";
import { rangeReader, readMp4AacTrack } from "./mp4-moov.js";

const tools = encoders("mp4-itunes-gapless");
const FRAMES = 88_200;
const { dir, wav, remove } = toneDir(FRAMES);
afterAll(remove);

/** A box of `type` around `body`. */
function box(type: string, ...body: Uint8Array[]): Uint8Array {
  const length = 8 + body.reduce((sum, b) => sum + b.length, 0);
  const out = new Uint8Array(length);
  new DataView(out.buffer).setUint32(0, length);
  out.set(new TextEncoder().encode(type), 4);
  body.reduce((at, b) => (out.set(b, at), at + b.length), 8);
  return out;
}
const text = (prefixBytes: number, value: string) => Uint8Array.from([...new Uint8Array(prefixBytes), ...new TextEncoder().encode(value)]);

/** The `----` item iTunes writes: delay, padding and length in hex. */
const smpbItem = (delay: number, padding: number, samples: number) => {
  const hex = (n: number, digits: number) => n.toString(16).toUpperCase().padStart(digits, "0");
  return box("----", box("mean", text(4, "com.apple.iTunes")), box("name", text(4, "iTunSMPB")), box("data", text(8, ` 00000000 ${hex(delay, 8)} ${hex(padding, 8)} ${hex(samples, 16)}`)));
};

/**
 * `file` (an ffmpeg M4A, its `moov` last, holding `udta/meta/ilst`) with `item` added to its
 * `ilst`: every box around it grows, and no chunk offset moves (the `mdat` comes first).
 */
function withIlstItem(file: Uint8Array, item: Uint8Array): Uint8Array {
  const path: number[] = [];
  let at = 0;
  let end = file.length;
  for (const [type, fullBox] of [["moov", 0], ["udta", 0], ["meta", 4], ["ilst", 0]] as const) {
    for (let b = readBoxHeader(file, at, 0, end); b; b = readBoxHeader(file, b.start + b.size, 0, end)) {
      if (b.type !== type) continue;
      path.push(b.start);
      [at, end] = [b.start + b.headerSize + fullBox, b.start + b.size];
      break;
    }
  }
  expect(path).toHaveLength(4);
  const out = new Uint8Array(file.length + item.length);
  out.set(file.subarray(0, end));
  out.set(item, end);
  out.set(file.subarray(end), end + item.length);
  const data = new DataView(out.buffer);
  for (const start of path) data.setUint32(start, data.getUint32(start) + item.length);
  return out;
}

describe("[M23] an M4A without an edit list trims by iTunes' gapless tag", () => {
  it("reads the delay and the length from an iTunSMPB item, nothing from another", () => {
    const item = smpbItem(2112, 320, 441_000);
    const body = item.subarray(8);
    expect(parseItunSmpb(body)).toEqual({ delay: 2112, samples: 441_000 });
    const other = box("----", box("mean", text(4, "com.apple.iTunes")), box("name", text(4, "iTunNORM")), box("data", text(8, " 1 2 3 4")));
    expect(parseItunSmpb(other.subarray(8))).toBeNull();
    expect(parseItunSmpb(body.subarray(0, body.length - 3))).toBeNull();
  });

  it.runIf(tools.ffmpeg)("ffmpeg's M4A made without an edit list, tagged: the track starts after the delay and is the tag's length", async () => {
    const plain = join(dir, "noedit.m4a");
    run("ffmpeg", ["-loglevel", "error", "-y", "-i", wav, "-c:a", "aac", "-b:a", "96k", "-use_editlist", "0", plain]);
    const file = new Uint8Array(readFileSync(plain));
    const tagged = withIlstItem(file, smpbItem(1024, 0, FRAMES));
    const read = async (bytes: Uint8Array) => {
      const reader = rangeReader("t.m4a", bytes.length, rangeServer(bytes).download, bytes.slice(0, 65_536));
      return readMp4AacTrack(reader, bytes.length);
    };
    expect(await read(file)).toMatchObject({ leadingTrim: 0 });
    expect(await read(tagged)).toMatchObject({ leadingTrim: 1024, totalFrames: FRAMES });
  });
});
