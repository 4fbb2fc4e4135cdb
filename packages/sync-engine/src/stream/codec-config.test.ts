import { describe, expect, it } from "vitest";
import { aacDecoderConfig, audioSpecificConfig, flacDecoderConfig, mp3DecoderConfig, opusDecoderConfig } from "./codec-config.js";
import type { FlacHead } from "./flac.js";

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

  it("Opus: nothing from bytes that are not an Ogg page (a real file's is in ogg-packets.test.ts)", () => {
    expect(opusDecoderConfig(new Uint8Array(64), 2)).toBeNull();
  });
});
