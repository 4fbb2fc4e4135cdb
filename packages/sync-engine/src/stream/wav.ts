/**
 * WAV (RIFF/WAVE) for streaming: where the samples are, and PCM bytes to float samples. Cutting a
 * WAV at whole sample frames needs no codec, so chunks decode exactly, in any order, with no
 * decoder delay: sample `i` of the file is sample `i` of the track.
 */

/** What a WAV header says about the samples. */
export interface WavInfo {
  /** 1 = integer PCM, 3 = IEEE float. */
  readonly formatTag: 1 | 3;
  readonly channels: number;
  readonly sampleRate: number;
  readonly bitsPerSample: 8 | 16 | 24 | 32;
  /** Bytes per sample frame (all channels). */
  readonly blockAlign: number;
  /** Byte offset of the first sample frame in the file. */
  readonly dataOffset: number;
  /** Whole sample frames in the data chunk. */
  readonly frames: number;
}

const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/**
 * Parses the header at the start of a WAV file (`bytes` is a prefix of the file, e.g. its first
 * 64 KiB; `fileSize` bounds a data chunk whose size was never filled in). Null when the bytes are
 * not a PCM or float WAV whose data chunk starts within the prefix.
 */
export function parseWavHeader(bytes: Uint8Array, fileSize: number): WavInfo | null {
  if (bytes.length < 12) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
  if (tag(0) !== "RIFF" || tag(8) !== "WAVE") return null;
  let fmt: Omit<WavInfo, "dataOffset" | "frames"> | null = null;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === "fmt " && body + 16 <= bytes.length) {
      let formatTag = view.getUint16(body, true);
      // WAVE_FORMAT_EXTENSIBLE names the real format in the first two bytes of its sub-format GUID.
      if (formatTag === WAVE_FORMAT_EXTENSIBLE && size >= 26 && body + 26 <= bytes.length) formatTag = view.getUint16(body + 24, true);
      const bits = view.getUint16(body + 14, true);
      const channels = view.getUint16(body + 2, true);
      const validBits = formatTag === 1 ? [8, 16, 24, 32].includes(bits) : formatTag === 3 && bits === 32;
      if (!validBits || channels === 0) return null;
      fmt = {
        formatTag: formatTag as 1 | 3,
        channels,
        sampleRate: view.getUint32(body + 4, true),
        bitsPerSample: bits as WavInfo["bitsPerSample"],
        blockAlign: view.getUint16(body + 12, true),
      };
    } else if (id === "data") {
      if (!fmt || fmt.blockAlign !== (fmt.channels * fmt.bitsPerSample) / 8 || fmt.sampleRate === 0) return null;
      const available = Math.max(0, fileSize - body);
      const dataBytes = size === 0 || size === 0xffffffff ? available : Math.min(size, available);
      return { ...fmt, dataOffset: body, frames: Math.floor(dataBytes / fmt.blockAlign) };
    }
    at = body + size + (size % 2);
  }
  return null;
}

/** The byte range `[start, end)` of the file that holds frames `[firstFrame, firstFrame + frames)`. */
export function wavByteRange(info: WavInfo, firstFrame: number, frames: number): { readonly start: number; readonly end: number } {
  const start = info.dataOffset + firstFrame * info.blockAlign;
  return { start, end: start + frames * info.blockAlign };
}

/** Sample frames (whole ones; a trailing partial frame is dropped) as one float array per channel. */
export function decodeWavSamples(info: WavInfo, bytes: Uint8Array): Float32Array<ArrayBuffer>[] {
  const frames = Math.floor(bytes.length / info.blockAlign);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = Array.from({ length: info.channels }, () => new Float32Array(frames));
  const width = info.bitsPerSample / 8;
  const read = sampleReader(info, view);
  for (let frame = 0; frame < frames; frame++) {
    const base = frame * info.blockAlign;
    for (let channel = 0; channel < info.channels; channel++) out[channel]![frame] = read(base + channel * width);
  }
  return out;
}

function sampleReader(info: WavInfo, view: DataView): (at: number) => number {
  if (info.formatTag === 3) return (at) => view.getFloat32(at, true);
  switch (info.bitsPerSample) {
    case 8:
      return (at) => (view.getUint8(at) - 128) / 128;
    case 16:
      return (at) => view.getInt16(at, true) / 32768;
    case 24:
      return (at) => ((view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16)) / 8388608);
    default:
      return (at) => view.getInt32(at, true) / 2147483648;
  }
}
