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

/** Channel 1 of the timecode: outside the ramp's [-0.5, 0.5), so a mono track upmixed to two equal channels is never taken for it. */
export const TIMECODE_REFERENCE = 0.75;
/** A channel-1 sample above this is the reference (its gain stays within a few per mille of 1). */
const REFERENCE_FLOOR = 0.6;

/** The timecode value of one rendered frame: the ramp corrected by the reference channel where there is one. */
export function tapValue(ramp: number, reference: number | undefined): number {
  if (reference === undefined || reference < REFERENCE_FLOOR) return ramp;
  return (ramp / reference) * TIMECODE_REFERENCE;
}
