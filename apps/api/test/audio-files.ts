/** Audio files for the track tests: a generated WAV, an MP3 from Debian's lame, a multipart form. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeWav } from "@sync-beats/demo-tracks";

/** MP3 cases need Debian's lame to make their file (installed by .ci/run); skipped with the reason printed. */
export const hasLame = (() => {
  try {
    execFileSync("lame", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    console.log("tracks: lame not installed, the MP3 cases are skipped");
    return false;
  }
})();

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

/** A VBR MP3 (`lame -V 2`) of a `seconds`-long 44.1 kHz tone. */
export function mp3(seconds: number): Buffer {
  const dir = mkdtempSync(join(tmpdir(), "api-mp3-"));
  try {
    const source = encodeWav({ sampleRate: 44_100, channels: 1, format: "pcm16", frames: seconds * 44_100, sample: (frame) => Math.sin(frame / 10) * 0.5 });
    writeFileSync(join(dir, "in.wav"), source);
    execFileSync("lame", ["--quiet", "-V", "2", join(dir, "in.wav"), join(dir, "out.mp3")]);
    return readFileSync(join(dir, "out.mp3"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function form(bytes: Uint8Array, fileName: string, type: string, field = "file"): FormData {
  const data = new FormData();
  data.append(field, new Blob([new Uint8Array(bytes)], { type }), fileName);
  return data;
}
