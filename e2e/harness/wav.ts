import { encodeWav } from "@sync-beats/demo-tracks";

/**
 * A mono 16-bit PCM WAV of a sine tone: a demo track the tests upload, generated so the repository
 * holds no audio binaries. `title`/`artist` become RIFF INFO tags (latin1), which the API reads.
 */
export function sineWav(options: { seconds: number; frequency: number; sampleRate?: number; title?: string; artist?: string }): Buffer {
  const sampleRate = options.sampleRate ?? 22_050;
  return encodeWav({
    sampleRate,
    channels: 1,
    format: "pcm16",
    frames: Math.round(options.seconds * sampleRate),
    sample: (frame) => Math.sin((2 * Math.PI * options.frequency * frame) / sampleRate) * 0.2,
    title: options.title,
    artist: options.artist,
  });
}
