import { describe, expect, it } from "vitest";
import { formatAudioType, formatBytes, formatDuration, formatMs, formatSignedMs } from "./format.js";

describe("formatDuration", () => {
  it.each([
    [0, "0:00"],
    [999, "0:00"],
    [61_000, "1:01"],
    [3_599_999, "59:59"],
    [3_600_000, "1:00:00"],
    [3_725_000, "1:02:05"],
  ])("%d ms → %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it("shows placeholders for unknown values", () => {
    expect(formatDuration(undefined)).toBe("--:--");
    expect(formatDuration(Number.NaN)).toBe("--:--");
    expect(formatDuration(-5)).toBe("--:--");
  });
});

describe("formatMs / formatSignedMs", () => {
  it("prints figures and placeholders", () => {
    expect(formatMs(12.345)).toBe("12.3 ms");
    expect(formatMs(null)).toBe("—");
    expect(formatSignedMs(3.21)).toBe("+3.2 ms");
    expect(formatSignedMs(-0.44)).toBe("−0.4 ms");
    expect(formatSignedMs(0)).toBe("±0.0 ms");
  });
});

describe("formatBytes", () => {
  it("scales units", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(2048)).toBe("2.0 KB");
    expect(formatBytes(5 * 1024 * 1024)).toBe("5.0 MB");
  });
});

describe("formatAudioType", () => {
  it.each([
    ["audio/mpeg", "MP3"],
    ["audio/mp4", "M4A"],
    ["audio/ogg", "OGG"],
    ["audio/flac", "FLAC"],
    ["audio/wav", "WAV"],
    ["AUDIO/FLAC; rate=44100", "FLAC"],
    ["audio/x-matroska", "X-MATROSKA"],
    ["weird", "WEIRD"],
  ])("%s → %s", (mimeType, label) => {
    expect(formatAudioType(mimeType)).toBe(label);
  });
});
