/**
 * The timecode track: a float32 mono WAV at 44.1 kHz whose sample at frame `i` encodes `i`
 * exactly, so a tap that reads one rendered sample knows which frame of the track is playing.
 * The encoding and the WAV writer are the demo library's (`@sync-beats/demo-tracks`,
 * demo-timecode.wav); the benchmark renders its own length. Linear interpolation (playbackRate
 * nudges, resampling) keeps the decoded value a fractional frame position, rounded to float32:
 * <= 0.25 frame (6 us).
 */
import { DEMO_SAMPLE_RATE, decodeTimecodeSeconds, encodeTimecodeSample, encodeWav } from "@sync-beats/demo-tracks";

/** Track position in milliseconds that a rendered sample value encodes. */
export function decodeTimecodeMs(value: number): number {
  return decodeTimecodeSeconds(value) * 1000;
}

/** A RIFF/WAVE IEEE-float mono file of `seconds` of timecode. */
export function renderTimecodeWav(seconds: number): Buffer {
  const frames = Math.round(seconds * DEMO_SAMPLE_RATE);
  if (frames > 2 ** 22) throw new Error("timecode wraps after 95 s");
  return encodeWav({ sampleRate: DEMO_SAMPLE_RATE, channels: 1, format: "float32", frames, sample: encodeTimecodeSample });
}
