/**
 * MPEG-1/2/2.5 Layer III frame headers, for streaming MP3 by byte range: every frame starts with
 * a 4-byte header that says how long the frame is and how many samples it decodes to, so a range
 * cut anywhere can be re-synchronised to frame boundaries.
 */

/** What one frame header says. */
export interface MpegFrameHeader {
  /** 1 = MPEG-1, 2 = MPEG-2, 2.5 = MPEG-2.5. */
  readonly version: 1 | 2 | 2.5;
  readonly bitrateKbps: number;
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  /** Samples per channel the frame decodes to (1152 for MPEG-1, 576 otherwise). */
  readonly samplesPerFrame: 1152 | 576;
  /** Bytes of the whole frame, header included. */
  readonly frameBytes: number;
}

const BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const SAMPLE_RATES = { 1: [44100, 48000, 32000], 2: [22050, 24000, 16000], 2.5: [11025, 12000, 8000] } as const;

/** The Layer III header at `at`, or null when the bytes there are not one (free-format frames are refused too). */
export function parseMpegFrameHeader(bytes: Uint8Array, at: number): MpegFrameHeader | null {
  if (at + 4 > bytes.length || bytes[at] !== 0xff) return null;
  const b1 = bytes[at + 1]!;
  const b2 = bytes[at + 2]!;
  if ((b1 & 0xe0) !== 0xe0 || ((b1 >> 1) & 3) !== 1) return null;
  const versionBits = (b1 >> 3) & 3;
  if (versionBits === 1) return null;
  const version = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 2.5;
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const bitrateKbps = (version === 1 ? BITRATES_V1 : BITRATES_V2)[bitrateIndex]!;
  const sampleRate = SAMPLE_RATES[version][rateIndex]!;
  const samplesPerFrame = version === 1 ? 1152 : 576;
  const padding = (b2 >> 1) & 1;
  const frameBytes = Math.floor(((samplesPerFrame / 8) * bitrateKbps * 1000) / sampleRate) + padding;
  const channels = bytes[at + 3]! >> 6 === 3 ? 1 : 2;
  return { version, bitrateKbps, sampleRate, channels, samplesPerFrame, frameBytes };
}

/** Bytes of an ID3v2 tag at the start of `bytes` (0 when there is none). */
export function id3v2Size(bytes: Uint8Array): number {
  if (bytes.length < 10 || bytes[0] !== 0x49 || bytes[1] !== 0x44 || bytes[2] !== 0x33) return 0;
  const size = ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
  const footer = bytes[5]! & 0x10 ? 10 : 0;
  return 10 + size + footer;
}

/** Consecutive headers that must agree (rate, channels, version) before a sync point is trusted. */
const SYNC_RUN = 3;

/**
 * Offsets of consecutive frames in `bytes`, from the first sync point at or after `from` that is
 * followed by matching frames (a lone 0xFFE… in the audio data is not taken for a header). The
 * list ends at the last frame that fits whole in `bytes`.
 */
export function findFrames(bytes: Uint8Array, from = 0): number[] {
  for (let at = from; at + 4 <= bytes.length; at++) {
    const first = parseMpegFrameHeader(bytes, at);
    if (!first) continue;
    const offsets = [at];
    let next = at + first.frameBytes;
    let header: MpegFrameHeader | null = first;
    while (header) {
      if (next + 4 > bytes.length) {
        if (next > bytes.length) offsets.pop();
        break;
      }
      header = parseMpegFrameHeader(bytes, next);
      if (!header || header.sampleRate !== first.sampleRate || header.channels !== first.channels) break;
      offsets.push(next);
      next += header.frameBytes;
    }
    const reachedEnd = next + 4 > bytes.length;
    if (offsets.length >= SYNC_RUN || (reachedEnd && offsets.length > 0)) return offsets;
  }
  return [];
}
