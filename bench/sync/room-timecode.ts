/**
 * Timecode tracks for room mode. The demo encoding (`@sync-beats/demo-tracks`) is exact over
 * 2^22 frames (95.1 s); room mode needs a 5-minute track, so the ramp simply wraps every 2^22
 * frames and the analysis unwraps each rendered position to the lap nearest the room's
 * timeline ({@link unwrapTrack}): a page would have to be 47 s off to be misread.
 */
import { DEMO_SAMPLE_RATE, TIMECODE_FRAMES_PER_UNIT, encodeTimecodeSample, encodeWav } from "@sync-beats/demo-tracks";
import { timelineAt, type RenderedTrack, type TimelineEvent } from "./analysis.js";

/** One lap of the ramp (ms). */
export const TIMECODE_LAP_MS = (TIMECODE_FRAMES_PER_UNIT / DEMO_SAMPLE_RATE) * 1000;

/** A float32 mono WAV of `seconds` of timecode, wrapping every lap. */
export function wrappingTimecodeWav(seconds: number, title: string): Buffer {
  return encodeWav({
    sampleRate: DEMO_SAMPLE_RATE,
    channels: 1,
    format: "float32",
    frames: Math.round(seconds * DEMO_SAMPLE_RATE),
    sample: (frame) => encodeTimecodeSample(frame % TIMECODE_FRAMES_PER_UNIT),
    title,
    artist: "bench:sync room mode",
  });
}

/**
 * The same track with every sounding position moved by whole laps to the one nearest the
 * timeline at that instant (before the first event: left as decoded).
 */
export function unwrapTrack(track: RenderedTrack, events: readonly TimelineEvent[]): RenderedTrack {
  const positionMs = Float64Array.from(track.positionMs, (position, i) => {
    if (Number.isNaN(position)) return position;
    const canonical = timelineAt(events, track.atMs[i]!);
    return canonical === null ? position : position + Math.round((canonical - position) / TIMECODE_LAP_MS) * TIMECODE_LAP_MS;
  });
  return { ...track, positionMs };
}
