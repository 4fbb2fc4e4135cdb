import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encodeWav } from "@sync-beats/demo-tracks";
import { cleanText, probeAudio } from "./audio-probe.js";

const dir = mkdtempSync(join(tmpdir(), "probe-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `bytes` under an extension-less name, as uploads arrive. */
function file(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe("audio probe", () => {
  it("cleans tag text: no control characters or lone surrogates, trimmed, bounded", () => {
    expect(cleanText("  a\u0000b\nc\ud800 ")).toBe("abc");
    expect(cleanText("x".repeat(300))).toHaveLength(200);
    expect(cleanText("\u0000 ")).toBeNull();
    expect(cleanText(undefined)).toBeNull();
    expect(cleanText("Émile 🎵")).toBe("Émile 🎵");
  });

  it("refuses files that are not audio", async () => {
    expect(await probeAudio(file("fake", Buffer.from("ID3 but not really an mp3")))).toBeNull();
    expect(await probeAudio(file("empty", new Uint8Array(0)))).toBeNull();
    expect(await probeAudio(join(dir, "missing"))).toBeNull();
  });

  it("sniffs a WAV from the file without an extension and reads its duration", async () => {
    const wav = encodeWav({ sampleRate: 8000, channels: 1, format: "pcm16", frames: 12_000, sample: () => 0 });
    expect(await probeAudio(file("upload", wav))).toMatchObject({ mimeType: "audio/wav", extension: ".wav", durationMs: 1500 });
  });
});
