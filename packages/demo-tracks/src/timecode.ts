/**
 * Timecode encoding. Sample `i` (0-based frame at 44.1 kHz) holds `(i - 2^21) / 2^22`. Both terms
 * are integers below 2^24 scaled by a power of two, so every value is exact in float32 (and in
 * the float64 that Web Audio hands back); the ramp spans [-0.5, 0.5) over 2^22 frames (95.1 s), so
 * 60 s never wraps. {@link decodeTimecodeSample} inverts it. A player resampling to another rate
 * interpolates linearly between exact points, so the decoded value is still a (fractional)
 * position in source samples. Not for listening: it is a slow full-scale ramp with a DC offset.
 */

/** The sample rate of every demo track (and of the timecode), in frames per second. */
export const DEMO_SAMPLE_RATE = 44_100;

/** The timecode ramp's scale: 2^22 frames per unit of sample value. */
export const TIMECODE_FRAMES_PER_UNIT = 2 ** 22;
const TIMECODE_OFFSET = 2 ** 21;

/** The exact float32 value stored at frame `frame` of the timecode track. */
export function encodeTimecodeSample(frame: number): number {
  return (frame - TIMECODE_OFFSET) / TIMECODE_FRAMES_PER_UNIT;
}

/** Position in samples (44.1 kHz frames; fractional after resampling) that a timecode sample encodes. */
export function decodeTimecodeSample(value: number): number {
  return value * TIMECODE_FRAMES_PER_UNIT + TIMECODE_OFFSET;
}

/** Seconds into the timecode track that a sample value encodes. */
export function decodeTimecodeSeconds(value: number): number {
  return decodeTimecodeSample(value) / DEMO_SAMPLE_RATE;
}
