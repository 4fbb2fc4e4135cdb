/**
 * Renders the demo library with plain Node, so a fresh clone has music without downloading any:
 *
 *   demo-chords.wav     24 s, stereo 16-bit: C–Am–F–G, two seconds each, three times round
 *   demo-metronome.wav  30 s, mono 16-bit: clicks at 120 BPM, accented on each bar's first beat
 *   demo-timecode.wav   60 s, mono 32-bit float: a ramp whose samples encode their own position
 *
 * Usage: `npx tsx scripts/generate-demo-tracks.ts [outDir]` (default: `data/tracks`). The API calls
 * {@link generateDemoTracks} itself on first start. Output is deterministic, byte for byte.
 *
 * Timecode encoding. Sample `i` (0-based frame at 44.1 kHz) holds `(i - 2^21) / 2^22`. Both terms
 * are integers below 2^24 scaled by a power of two, so every value is exact in float32 (and in
 * the float64 that Web Audio hands back); the ramp spans [-0.5, 0.5) over 2^22 frames (95.1 s), so
 * 60 s never wraps. {@link decodeTimecodeSample} inverts it. A player resampling to another rate
 * interpolates linearly between exact points, so the decoded value is still a (fractional)
 * position in source samples. Not for listening: it is a slow full-scale ramp with a DC offset.
 */
import { mkdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

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

/** How one demo track is rendered and shown. */
export interface DemoTrack {
  id: string;
  fileName: string;
  title: string;
  artist: string;
  render(): Buffer;
}

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

const midiToHz = (note: number) => 440 * 2 ** ((note - 69) / 12);

/** C, Am, F, G as MIDI notes (bass an octave below the root). */
const PROGRESSION = [
  [48, 60, 64, 67],
  [45, 57, 60, 64],
  [41, 57, 60, 65],
  [43, 55, 59, 62],
];

const CHORD_HZ = PROGRESSION.map((chord) => chord.map(midiToHz));

function renderChords(): Buffer {
  const chordSeconds = 2;
  const frames = PROGRESSION.length * 3 * chordSeconds * DEMO_SAMPLE_RATE;
  // Voices are computed once per frame and mixed per channel (sample() is called per channel).
  const voices = [0, 0, 0, 0];
  let voicesFrame = -1;
  return encodeWav({
    sampleRate: DEMO_SAMPLE_RATE,
    channels: 2,
    format: "pcm16",
    frames,
    title: "Four Chords in C",
    artist: "Sync Beats demo",
    sample(frame, channel) {
      const t = frame / DEMO_SAMPLE_RATE;
      const local = t % chordSeconds;
      if (voicesFrame !== frame) {
        voicesFrame = frame;
        const chord = CHORD_HZ[Math.floor(t / chordSeconds) % CHORD_HZ.length]!;
        chord.forEach((hz, voice) => {
          // Harmonics 1-3 (a soft organ-like tone) from one sine and cosine:
          // sin 2x = 2 sin x cos x, sin 3x = 3 sin x - 4 sin^3 x.
          const x = 2 * Math.PI * hz * t;
          const s1 = Math.sin(x);
          voices[voice] = s1 / 2 + (s1 * Math.cos(x)) / 2 + (3 * s1 - 4 * s1 ** 3) / 6;
        });
      }
      const envelope = Math.min(1, local / 0.01) * Math.exp(-local * 1.2) * Math.min(1, (chordSeconds - local) / 0.02);
      let value = 0;
      // Spread voices across the stereo field.
      for (let voice = 0; voice < 4; voice += 1) value += (channel === 0 ? 1 - voice / 4 : 0.25 + voice / 4) * voices[voice]!;
      return 0.22 * envelope * value;
    },
  });
}

function renderMetronome(): Buffer {
  const bpm = 120;
  const framesPerBeat = (DEMO_SAMPLE_RATE * 60) / bpm;
  return encodeWav({
    sampleRate: DEMO_SAMPLE_RATE,
    channels: 1,
    format: "pcm16",
    frames: 30 * DEMO_SAMPLE_RATE,
    title: "Metronome 120 BPM",
    artist: "Sync Beats demo",
    sample(frame) {
      const beat = Math.floor(frame / framesPerBeat);
      const local = (frame - beat * framesPerBeat) / DEMO_SAMPLE_RATE;
      if (local > 0.04) return 0;
      const hz = beat % 4 === 0 ? 1500 : 1000;
      return 0.8 * Math.exp(-local * 120) * Math.sin(2 * Math.PI * hz * local);
    },
  });
}

function renderTimecode(): Buffer {
  return encodeWav({
    sampleRate: DEMO_SAMPLE_RATE,
    channels: 1,
    format: "float32",
    frames: 60 * DEMO_SAMPLE_RATE,
    title: "Timecode (benchmark)",
    artist: "Sync Beats demo",
    sample: (frame) => encodeTimecodeSample(frame),
  });
}

/** The demo library, in display order. */
export const DEMO_TRACKS: readonly DemoTrack[] = [
  { id: "demo-chords", fileName: "demo-chords.wav", title: "Four Chords in C", artist: "Sync Beats demo", render: renderChords },
  { id: "demo-metronome", fileName: "demo-metronome.wav", title: "Metronome 120 BPM", artist: "Sync Beats demo", render: renderMetronome },
  { id: "demo-timecode", fileName: "demo-timecode.wav", title: "Timecode (benchmark)", artist: "Sync Beats demo", render: renderTimecode },
];

function exists(path: string): boolean {
  try {
    return statSync(path).size > 0;
  } catch {
    return false;
  }
}

/**
 * Writes every demo track missing from `outDir` (all of them with `overwrite`), each via a temp
 * file and a rename so a concurrent reader never sees half a file. Returns the files written.
 */
export function generateDemoTracks(outDir: string, options: { overwrite?: boolean } = {}): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const track of DEMO_TRACKS) {
    const target = join(outDir, track.fileName);
    if (!options.overwrite && exists(target)) continue;
    const temp = `${target}.${process.pid}.tmp`;
    writeFileSync(temp, track.render());
    renameSync(temp, target);
    written.push(target);
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const outDir = resolve(process.argv[2] ?? resolve(import.meta.dirname, "../data/tracks"));
  const written = generateDemoTracks(outDir, { overwrite: true });
  for (const file of written) console.log(`wrote ${file}`);
}
