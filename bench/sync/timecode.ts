/**
 * The timecode track: a float32 WAV at 44.1 kHz whose sample at frame `i` encodes `i` exactly
 * (channel 0; channel 1 is a constant reference, `tap-value.ts`), so a tap that reads one
 * rendered sample knows which frame of the track is playing.
 * The encoding and the WAV writer are the demo library's (`@sync-beats/demo-tracks`,
 * demo-timecode.wav); the benchmark renders its own length. Linear interpolation (playbackRate
 * nudges in Chromium) keeps the decoded value a fractional frame position, rounded to float32:
 * <= 0.25 frame (6 us); Firefox's resampler scales it, which the reference undoes.
 */
import { DEMO_SAMPLE_RATE, decodeTimecodeSeconds, encodeTimecodeSample, encodeWav } from "@sync-beats/demo-tracks";
import { TIMECODE_REFERENCE } from "./tap-value.js";

/** Track position in milliseconds that a rendered sample value encodes. */
export function decodeTimecodeMs(value: number): number {
  return decodeTimecodeSeconds(value) * 1000;
}

/**
 * A RIFF/WAVE IEEE-float stereo file of `seconds` of timecode: the ramp on channel 0, the constant
 * reference on channel 1 (`tap-value.ts`: a resampling player's gain cancels out of their ratio).
 */
export function renderTimecodeWav(seconds: number): Buffer {
  const frames = Math.round(seconds * DEMO_SAMPLE_RATE);
  if (frames > 2 ** 22) throw new Error("timecode wraps after 95 s");
  const sample = (frame: number, channel: number) => (channel === 0 ? encodeTimecodeSample(frame) : TIMECODE_REFERENCE);
  return encodeWav({ sampleRate: DEMO_SAMPLE_RATE, channels: 2, format: "float32", frames, sample });
}
