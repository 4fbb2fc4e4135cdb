/**
 * The reference channel of the benchmark's timecode (issue 14). Firefox plays an
 * `AudioBufferSourceNode` whose `playbackRate` is (or once was) not 1 through a Speex resampler at
 * its lowest quality: the positions it renders are right (within 0.01 ms), but every sample value
 * is scaled by the resampler's gain for that sample's filter phase (1.0005–1.0019, with ripple of
 * ±30 frames on the ramp). The mono timecode encodes position in the value, so those pages were
 * misread by (gain − 1) × (position − 47.55 s), up to ~90 ms, and ripple broke the ramp at almost
 * every sample (the "silent" samples). Channel 1 holds a constant, scaled by the same gain at the
 * same phase: ramp / reference × {@link TIMECODE_REFERENCE} is the value as written.
 */

/** Channel 1 of the timecode: outside the ramp's [-0.5, 0.5), so it never equals a ramp sample. */
export const TIMECODE_REFERENCE = 0.75;
/** A channel-1 sample within this share of the reference is taken for it (Firefox's gains: ≤ 0.2 %). */
const REFERENCE_TOLERANCE = 0.01;

/**
 * The timecode value of one rendered frame: the ramp corrected by the reference channel where
 * there is one. A mono source reaches the tap upmixed to two equal channels (a timecode, a
 * calibration click at any amplitude): read as it is.
 */
export function tapValue(ramp: number, reference: number | undefined): number {
  if (reference === undefined || reference === ramp) return ramp;
  if (Math.abs(reference / TIMECODE_REFERENCE - 1) > REFERENCE_TOLERANCE) return ramp;
  return (ramp / reference) * TIMECODE_REFERENCE;
}
