/**
 * The timecode track: a float32 mono WAV at 44.1 kHz whose sample at frame `i` holds
 * `(i - 2^21) / 2^22`, exact in float32, so a tap that reads one rendered sample knows which
 * frame of the track is playing. Same encoding as the API's `scripts/generate-demo-tracks.ts`
 * (demo-timecode.wav); rendered here so the benchmark needs nothing else in the tree.
 * Linear interpolation (playbackRate nudges, resampling) keeps the decoded value a fractional
 * frame position, rounded to float32: <= 0.25 frame (6 us).
 */
export const TIMECODE_SAMPLE_RATE = 44_100;
export const TIMECODE_FRAMES_PER_UNIT = 2 ** 22;
const TIMECODE_OFFSET = 2 ** 21;

/** The exact sample value stored at `frame`. */
export function encodeTimecode(frame: number): number {
  return (frame - TIMECODE_OFFSET) / TIMECODE_FRAMES_PER_UNIT;
}

/** Track position in milliseconds that a rendered sample value encodes. */
export function decodeTimecodeMs(value: number): number {
  return ((value * TIMECODE_FRAMES_PER_UNIT + TIMECODE_OFFSET) / TIMECODE_SAMPLE_RATE) * 1000;
}

/** A RIFF/WAVE IEEE-float mono file of `seconds` of timecode. */
export function renderTimecodeWav(seconds: number): Buffer {
  const frames = Math.round(seconds * TIMECODE_SAMPLE_RATE);
  if (frames > 2 ** 22) throw new Error("timecode wraps after 95 s");
  const header = Buffer.alloc(58);
  const dataBytes = frames * 4;
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(50 + dataBytes, 4);
  header.write("WAVE", 8, "ascii");
  header.write("fmt ", 12, "ascii");
  header.writeUInt32LE(18, 16);
  header.writeUInt16LE(3, 20); // IEEE float
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(TIMECODE_SAMPLE_RATE, 24);
  header.writeUInt32LE(TIMECODE_SAMPLE_RATE * 4, 28);
  header.writeUInt16LE(4, 32);
  header.writeUInt16LE(32, 34);
  header.writeUInt16LE(0, 36); // cbSize
  header.write("fact", 38, "ascii");
  header.writeUInt32LE(4, 42);
  header.writeUInt32LE(frames, 46);
  header.write("data", 50, "ascii");
  header.writeUInt32LE(dataBytes, 54);
  const data = Buffer.alloc(dataBytes);
  for (let i = 0; i < frames; i += 1) data.writeFloatLE(encodeTimecode(i), i * 4);
  return Buffer.concat([header, data]);
}
