/** Audio files for the track tests: a generated WAV, an MP3 from Debian's lame, a multipart form. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeWav } from "@sync-beats/demo-tracks";

/** Whether `tool` runs here (the MP3 and ADTS cases make their files with Debian's lame and ffmpeg, installed by .ci/run). */
function hasTool(tool: string, versionFlag: string): boolean {
  try {
    execFileSync(tool, [versionFlag], { stdio: "ignore" });
    return true;
  } catch {
    console.log(`tracks: ${tool} not installed, the cases that encode with it are skipped`);
    return false;
  }
}
export const hasLame = hasTool("lame", "--version");
export const hasFfmpeg = hasTool("ffmpeg", "-version");

export function wav(seconds: number, tags: { title?: string; artist?: string } = {}): Buffer {
  return encodeWav({
    sampleRate: 8000,
    channels: 1,
    format: "pcm16",
    frames: Math.round(seconds * 8000),
    sample: (frame) => Math.sin(frame / 10) * 0.5,
    ...tags,
  });
}

/** `source` (a WAV) encoded by `tool`, whose arguments `args` gives from the input and output paths. */
export function encodeWith(tool: string, args: (input: string, output: string) => string[], fileName: string, source: Buffer): Buffer {
  const dir = mkdtempSync(join(tmpdir(), "api-encoded-"));
  try {
    writeFileSync(join(dir, "in.wav"), source);
    execFileSync(tool, args(join(dir, "in.wav"), join(dir, fileName)));
    return readFileSync(join(dir, fileName));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A VBR MP3 (`lame -V 2`) of a `seconds`-long 44.1 kHz tone. */
export function mp3(seconds: number): Buffer {
  const tone = encodeWav({ sampleRate: 44_100, channels: 1, format: "pcm16", frames: seconds * 44_100, sample: (frame) => Math.sin(frame / 10) * 0.5 });
  return encodeWith("lame", (input, output) => ["--quiet", "-V", "2", input, output], "out.mp3", tone);
}

export function form(bytes: Uint8Array, fileName: string, type: string, field = "file"): FormData {
  const data = new FormData();
  data.append(field, new Blob([new Uint8Array(bytes)], { type }), fileName);
  return data;
}
