/**
 * MP3 files made in the test by Debian's lame/ffmpeg from a generated WAV. Suites using them skip
 * the cases whose tool is absent, with a printed reason.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function has(tool: string, versionFlag: string): boolean {
  try {
    execFileSync(tool, [versionFlag], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** The encoders present here (a missing one is reported once per suite). */
export function encoders(suite: string): { readonly lame: boolean; readonly ffmpeg: boolean } {
  const tools = { lame: has("lame", "--version"), ffmpeg: has("ffmpeg", "-version") };
  for (const [tool, present] of Object.entries(tools)) if (!present) console.log(`${suite}: ${tool} not installed, its cases are skipped`);
  return tools;
}

/** A temp dir holding `tone.wav`: 16-bit mono 44.1 kHz, `frames` samples of a 440 Hz tone. */
export function toneDir(frames: number): { readonly dir: string; readonly wav: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "encoded-"));
  const data = Buffer.alloc(frames * 2);
  for (let i = 0; i < frames; i++) data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / 44100) * 8000), i * 2);
  const h = Buffer.alloc(44);
  h.write("RIFF", 0, "ascii");
  h.writeUInt32LE(36 + data.length, 4);
  h.write("WAVEfmt ", 8, "ascii");
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(44100, 24);
  h.writeUInt32LE(88200, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write("data", 36, "ascii");
  h.writeUInt32LE(data.length, 40);
  const wav = join(dir, "tone.wav");
  writeFileSync(wav, Buffer.concat([h, data]));
  return { dir, wav, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `tool` with `args` (an encoder), quietly. */
export function run(tool: string, args: string[]): void {
  execFileSync(tool, args, { stdio: ["ignore", "ignore", "inherit"] });
}
