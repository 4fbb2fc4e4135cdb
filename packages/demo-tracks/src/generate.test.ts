import { readFileSync, rmSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseBuffer } from "music-metadata";
import { afterAll, describe, expect, it } from "vitest";
import { BENCHMARK_TRACKS, DEMO_TRACKS } from "./catalogue.js";

const ALL_TRACKS = [...DEMO_TRACKS, ...BENCHMARK_TRACKS];
import { generateDemoTracks } from "./generate.js";
import { DEMO_SAMPLE_RATE, decodeTimecodeSample } from "./timecode.js";

const dir = mkdtempSync(join(tmpdir(), "demo-tracks-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("demo tracks", () => {
  it("writes every track once, and only missing ones afterwards", () => {
    expect(generateDemoTracks(dir).length).toBe(DEMO_TRACKS.length);
    expect(generateDemoTracks(dir)).toEqual([]);
  });

  it("the timecode track is a benchmark fixture: written only when asked for", () => {
    expect(DEMO_TRACKS.map((t) => t.id)).not.toContain("demo-timecode");
    expect(generateDemoTracks(dir, { tracks: BENCHMARK_TRACKS })).toEqual([join(dir, "demo-timecode.wav")]);
  });

  it("produces files music-metadata reads with the right format, duration and tags", async () => {
    const expected: Record<string, { seconds: number; channels: number; bits: number }> = {
      "demo-chords": { seconds: 24, channels: 2, bits: 16 },
      "demo-metronome": { seconds: 30, channels: 1, bits: 16 },
      "demo-timecode": { seconds: 60, channels: 1, bits: 32 },
    };
    for (const track of ALL_TRACKS) {
      const meta = await parseBuffer(readFileSync(join(dir, track.fileName)));
      expect(meta.format.container).toBe("WAVE");
      expect(meta.format.sampleRate).toBe(DEMO_SAMPLE_RATE);
      expect(meta.format.duration).toBeCloseTo(expected[track.id]!.seconds, 6);
      expect(meta.format.numberOfChannels).toBe(expected[track.id]!.channels);
      expect(meta.format.bitsPerSample).toBe(expected[track.id]!.bits);
      expect(meta.common.title).toBe(track.title);
      expect(meta.common.artist).toBe(track.artist);
    }
  });

  it("the timecode file's data chunk holds the ramp", () => {
    const bytes = readFileSync(join(dir, "demo-timecode.wav"));
    const dataAt = bytes.indexOf("data", 12, "ascii") + 8;
    for (const frame of [0, 100_000, 2_645_999]) {
      expect(decodeTimecodeSample(bytes.readFloatLE(dataAt + frame * 4))).toBe(frame);
    }
  });

  it("is deterministic", () => {
    for (const track of ALL_TRACKS) expect(track.render().equals(readFileSync(join(dir, track.fileName)))).toBe(true);
  });
});
