import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encoders, run, toneDir } from "../../test/encoders.js";
import { aacDecoderConfig, audioSpecificConfig, flacDecoderConfig, mp3DecoderConfig, opusDecoderConfig } from "./codec-config.js";
import type { FlacHead } from "./flac.js";
import { parseOpusHead } from "./ogg-opus.js";

describe("[M15] WebCodecs decoder configs from the file's head", () => {
  it("AAC-LC: the 2-byte AudioSpecificConfig (44.1 kHz stereo is 12 10, 48 kHz stereo 11 90), codec mp4a.40.2", () => {
    expect([...audioSpecificConfig({ objectType: 2, frequencyIndex: 4, channelConfig: 2 })]).toEqual([0x12, 0x10]);
    expect([...audioSpecificConfig({ objectType: 2, frequencyIndex: 3, channelConfig: 2 })]).toEqual([0x11, 0x90]);
    expect(aacDecoderConfig({ objectType: 2, frequencyIndex: 4, channelConfig: 1 }, 44_100, 1)).toMatchObject({ codec: "mp4a.40.2", sampleRate: 44_100, numberOfChannels: 1 });
  });

  it("MP3: no description", () => {
    expect(mp3DecoderConfig(44_100, 2)).toEqual({ codec: "mp3", sampleRate: 44_100, numberOfChannels: 2 });
  });

  it("FLAC: fLaC, the STREAMINFO block header (last, 34 bytes) and its body", () => {
    const streamInfoBytes = Uint8Array.from({ length: 34 }, (_, i) => i + 1);
    const head = { info: { sampleRate: 44_100, channels: 2 }, streamInfoBytes } as unknown as FlacHead;
    const config = flacDecoderConfig(head);
    const description = config.description as Uint8Array;
    expect([...description.subarray(0, 8)]).toEqual([0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, 34]);
    expect([...description.subarray(8)]).toEqual([...streamInfoBytes]);
    expect(config).toMatchObject({ codec: "flac", sampleRate: 44_100, numberOfChannels: 2 });
  });

  it("Opus: nothing from bytes that are not an Ogg page", () => {
    expect(opusDecoderConfig(new Uint8Array(64), 2)).toBeNull();
  });
});

const tools = encoders("codec-config");
const { dir, wav, remove } = toneDir(44_100);
afterAll(remove);

describe.runIf(tools.ffmpeg)("[M15] the Opus config of a real file", () => {
  it("the description is the 19-byte OpusHead packet, with the file's pre-skip; 48 kHz", () => {
    const opus = join(dir, "tone.opus");
    run("ffmpeg", ["-loglevel", "error", "-y", "-i", wav, "-c:a", "libopus", "-b:a", "96k", opus]);
    const head = parseOpusHead(new Uint8Array(readFileSync(opus)))!;
    const config = opusDecoderConfig(head.headerPages, head.channels)!;
    const description = config.description as Uint8Array;
    expect(String.fromCharCode(...description.subarray(0, 8))).toBe("OpusHead");
    expect(description.length).toBe(19);
    expect(description[10]! | (description[11]! << 8)).toBe(head.preSkip);
    expect(config).toMatchObject({ codec: "opus", sampleRate: 48_000, numberOfChannels: 1 });
  });
});
