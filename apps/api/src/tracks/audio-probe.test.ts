import { describe, expect, it } from "vitest";
import { cleanText, probeAudio } from "./audio-probe.js";

describe("audio probe", () => {
  it("cleans tag text: no control characters or lone surrogates, trimmed, bounded", () => {
    expect(cleanText("  a\u0000b\nc\ud800 ")).toBe("abc");
    expect(cleanText("x".repeat(300))).toHaveLength(200);
    expect(cleanText("\u0000 ")).toBeNull();
    expect(cleanText(undefined)).toBeNull();
    expect(cleanText("Émile 🎵")).toBe("Émile 🎵");
  });

  it("refuses bytes that are not audio", async () => {
    expect(await probeAudio(Buffer.from("ID3 but not really an mp3"))).toBeNull();
    expect(await probeAudio(new Uint8Array(0))).toBeNull();
  });
});
