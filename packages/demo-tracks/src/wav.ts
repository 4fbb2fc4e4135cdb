/** What {@link encodeWav} writes: the format, the length and a sample function. */
export interface WavSpec {
  sampleRate: number;
  channels: number;
  format: "pcm16" | "float32";
  frames: number;
  /** Sample value in [-1, 1] for a frame and channel. */
  sample(frame: number, channel: number): number;
  /** RIFF INFO tags: INAM (title) and IART (artist). */
  title?: string;
  artist?: string;
}

function chunk(id: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, "ascii");
  header.writeUInt32LE(body.length, 4);
  const pad = body.length % 2 === 1 ? Buffer.alloc(1) : Buffer.alloc(0);
  return Buffer.concat([header, body, pad]);
}

function infoChunk(title?: string, artist?: string): Buffer {
  const tags: Buffer[] = [Buffer.from("INFO", "ascii")];
  if (title) tags.push(chunk("INAM", Buffer.from(`${title}\0`, "latin1")));
  if (artist) tags.push(chunk("IART", Buffer.from(`${artist}\0`, "latin1")));
  return tags.length > 1 ? chunk("LIST", Buffer.concat(tags)) : Buffer.alloc(0);
}

/** A RIFF/WAVE file: PCM 16-bit (format 1) or IEEE float 32-bit (format 3, with its `fact` chunk). */
export function encodeWav(spec: WavSpec): Buffer {
  const float = spec.format === "float32";
  const bytesPerSample = float ? 4 : 2;
  const blockAlign = spec.channels * bytesPerSample;
  const fmt = Buffer.alloc(float ? 18 : 16);
  fmt.writeUInt16LE(float ? 3 : 1, 0);
  fmt.writeUInt16LE(spec.channels, 2);
  fmt.writeUInt32LE(spec.sampleRate, 4);
  fmt.writeUInt32LE(spec.sampleRate * blockAlign, 8);
  fmt.writeUInt16LE(blockAlign, 12);
  fmt.writeUInt16LE(bytesPerSample * 8, 14);
  // fmt.writeUInt16LE(0, 16) for float: cbSize = 0, already zero.
  const data = Buffer.alloc(spec.frames * blockAlign);
  for (let frame = 0; frame < spec.frames; frame += 1) {
    for (let channel = 0; channel < spec.channels; channel += 1) {
      const value = spec.sample(frame, channel);
      const offset = frame * blockAlign + channel * bytesPerSample;
      if (float) data.writeFloatLE(value, offset);
      else data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, value)) * 32767), offset);
    }
  }
  const fact = float ? chunk("fact", Buffer.from(Uint32Array.of(spec.frames).buffer)) : Buffer.alloc(0);
  const body = Buffer.concat([Buffer.from("WAVE", "ascii"), chunk("fmt ", fmt), fact, infoChunk(spec.title, spec.artist), chunk("data", data)]);
  return chunk("RIFF", body);
}
