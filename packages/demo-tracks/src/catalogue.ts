/**
 * The demo library, rendered with plain Node so a fresh clone has music without downloading any:
 *
 *   demo-chords.wav     24 s, stereo 16-bit: C–Am–F–G, two seconds each, three times round
 *   demo-metronome.wav  30 s, mono 16-bit: clicks at 120 BPM, accented on each bar's first beat
 *
 * and the benchmark fixture, seeded only where a benchmark asks for it (it is not music):
 *
 *   demo-timecode.wav   60 s, mono 32-bit float: a ramp whose samples encode their own position
 */
import { DEMO_SAMPLE_RATE, encodeTimecodeSample } from "./timecode.js";
import { encodeWav } from "./wav.js";

/** How one demo track is rendered and shown. */
export interface DemoTrack {
  id: string;
  fileName: string;
  title: string;
  artist: string;
  render(): Buffer;
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

/** The demo library people see, in display order. */
export const DEMO_TRACKS: readonly DemoTrack[] = [
  { id: "demo-chords", fileName: "demo-chords.wav", title: "Four Chords in C", artist: "Sync Beats demo", render: renderChords },
  { id: "demo-metronome", fileName: "demo-metronome.wav", title: "Metronome 120 BPM", artist: "Sync Beats demo", render: renderMetronome },
];

/**
 * Benchmark fixtures: tracks a measurement reads back sample by sample, not music. The API seeds
 * them only when asked (`SEED_BENCHMARK_TRACKS=1`), after {@link DEMO_TRACKS}.
 */
export const BENCHMARK_TRACKS: readonly DemoTrack[] = [
  { id: "demo-timecode", fileName: "demo-timecode.wav", title: "Timecode (benchmark)", artist: "Sync Beats demo", render: renderTimecode },
];
