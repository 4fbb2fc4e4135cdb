/**
 * The benchmark's tracks, written at run time into a temp dir (never committed): a float32 mono
 * timecode WAV (sample i holds its own position, wrapping every 2^22 frames), a 16-bit pulse WAV
 * (pulses.ts, the source of the compressed formats) and a 16-bit mono
 * sine WAV for the long mix. Written in blocks: a 60-minute file is never in memory whole.
 */
import { open, rename, stat } from "node:fs/promises";
import { encodeTimecodeSample } from "@sync-beats/demo-tracks";
import { pulseSample } from "./pulses.js";

export const RATE = 44_100;
const WRAP = 2 ** 22;
const BLOCK_FRAMES = RATE * 10;

function header(formatTag: 1 | 3, bits: 16 | 32, frames: number): Buffer {
  const blockAlign = bits / 8;
  const h = Buffer.alloc(44);
  h.write("RIFF", 0, "ascii");
  h.writeUInt32LE(36 + frames * blockAlign, 4);
  h.write("WAVEfmt ", 8, "ascii");
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(formatTag, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(RATE, 24);
  h.writeUInt32LE(RATE * blockAlign, 28);
  h.writeUInt16LE(blockAlign, 32);
  h.writeUInt16LE(bits, 34);
  h.write("data", 36, "ascii");
  h.writeUInt32LE(frames * blockAlign, 40);
  return h;
}

/** Timecode position (frames, modulo 2^22) a rendered sample value encodes. */
export const TIMECODE_WRAP_FRAMES = WRAP;

/** Writes `seconds` of float32 timecode (wrapping), 16-bit sine or 16-bit pulses (pulses.ts); returns the file size. */
export async function writeTrack(path: string, kind: "timecode" | "sine" | "pulse", seconds: number): Promise<number> {
  const frames = Math.round(seconds * RATE);
  const float = kind === "timecode";
  const file = await open(path, "w");
  try {
    await file.write(header(float ? 3 : 1, float ? 32 : 16, frames));
    for (let first = 0; first < frames; first += BLOCK_FRAMES) {
      const n = Math.min(BLOCK_FRAMES, frames - first);
      const block = Buffer.alloc(n * (float ? 4 : 2));
      for (let i = 0; i < n; i++) {
        const frame = first + i;
        if (float) block.writeFloatLE(encodeTimecodeSample(frame % WRAP), i * 4);
        else if (kind === "pulse") block.writeInt16LE(Math.round(pulseSample(frame) * 32_767), i * 2);
        else block.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * frame) / RATE) * 12_000), i * 2);
      }
      await file.write(block);
    }
    return 44 + frames * (float ? 4 : 2);
  } finally {
    await file.close();
  }
}

/** {@link writeTrack}, unless `path` exists already (a cache dir kept between runs); returns the file size. */
export async function writeTrackOnce(path: string, kind: "timecode" | "sine" | "pulse", seconds: number): Promise<number> {
  const existing = await stat(path).catch(() => null);
  if (existing) return existing.size;
  const size = await writeTrack(`${path}.partial`, kind, seconds);
  await rename(`${path}.partial`, path);
  return size;
}
