/**
 * The WebCodecs `AudioDecoderConfig` of each streamed codec, from what the file's head gave
 * (W3C WebCodecs codec registrations): MP3 needs none; AAC-LC is `mp4a.40.2` with the
 * AudioSpecificConfig as `description` (so chunks are raw access units, no ADTS); Opus carries
 * its identification header (`OpusHead`, with the pre-skip and channel mapping); FLAC carries
 * `fLaC` and the STREAMINFO block with its header.
 */
import type { FlacStart } from "./flac.js";
import type { AacConfig } from "./mp4.js";
import { parseOggPage } from "./ogg-opus.js";

/** MP3 (Layer III): the codec string and the stream's shape. */
export function mp3DecoderConfig(sampleRate: number, channels: number): AudioDecoderConfig {
  return { codec: "mp3", sampleRate, numberOfChannels: channels };
}

/** The 2-byte AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1) of `config`, no extension. */
export function audioSpecificConfig({ objectType, frequencyIndex, channelConfig }: AacConfig): Uint8Array {
  return Uint8Array.of((objectType << 3) | (frequencyIndex >> 1), ((frequencyIndex & 1) << 7) | (channelConfig << 3));
}

/** AAC-LC in MP4: `mp4a.40.2`, the AudioSpecificConfig as description. */
export function aacDecoderConfig(config: AacConfig, sampleRate: number, channels: number): AudioDecoderConfig {
  return { codec: `mp4a.40.${config.objectType}`, sampleRate, numberOfChannels: channels, description: audioSpecificConfig(config) };
}

/** Opus: the `OpusHead` packet (the first page's only packet) of the file's header pages; decodes at 48 kHz. */
export function opusDecoderConfig(headerPages: Uint8Array, channels: number): AudioDecoderConfig | null {
  const page = parseOggPage(headerPages, 0);
  const head = page?.packets[0];
  if (!head) return null;
  return { codec: "opus", sampleRate: 48_000, numberOfChannels: channels, description: headerPages.slice(head.offset, head.offset + head.length) };
}

/** FLAC: `fLaC`, then the STREAMINFO block (marked last) with its 4-byte header. */
export function flacDecoderConfig(head: FlacStart): AudioDecoderConfig {
  const description = new Uint8Array(4 + 4 + 34);
  description.set([0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, 34]);
  description.set(head.streamInfoBytes, 8);
  return { codec: "flac", sampleRate: head.info.sampleRate, numberOfChannels: head.info.channels, description };
}
