/**
 * The alignment signal: a 10 ms chirp (500 Hz → 8 kHz, Hann window) every half second over a
 * quiet 100 Hz bed. A lossy codec keeps a chirp's shape well enough that cross-correlating the rendered
 * output with it finds each pulse to a fraction of a sample, where a sample-value timecode would
 * drown in coding noise. Pulse `k` (k ≥ 1) starts at track frame `k × PULSE_EVERY_FRAMES`.
 */
export const PULSE_RATE = 44_100;
export const PULSE_EVERY_FRAMES = PULSE_RATE / 2;
export const PULSE_FRAMES = 441;

/** The chirp's samples. */
export const PULSE: Float32Array = (() => {
  const out = new Float32Array(PULSE_FRAMES);
  const seconds = PULSE_FRAMES / PULSE_RATE;
  for (let i = 0; i < PULSE_FRAMES; i++) {
    const t = i / PULSE_RATE;
    const phase = 2 * Math.PI * (500 * t + ((8000 - 500) * t * t) / (2 * seconds));
    out[i] = 0.8 * Math.sin(phase) * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (PULSE_FRAMES - 1)));
  }
  return out;
})();

/**
 * A quiet 100 Hz bed under the pulses (−40 dBFS) from sample 0: every codec keeps it, so the
 * first rendered quantum shows when playback really started (silence between pulses would hide
 * it until the first pulse), and it is far below the chirp's band and level.
 */
export const BED_AMPLITUDE = 0.01;

/** Sample `frame` of the pulse track. */
export function pulseSample(frame: number): number {
  const within = frame % PULSE_EVERY_FRAMES;
  const bed = BED_AMPLITUDE * Math.sin((2 * Math.PI * 100 * frame) / PULSE_RATE);
  return bed + (frame >= PULSE_EVERY_FRAMES && within < PULSE_FRAMES ? PULSE[within]! : 0);
}

/** Track frame where pulse `k` starts. */
export const pulseFrame = (k: number) => k * PULSE_EVERY_FRAMES;

/**
 * Where the pulse nearest `expected` starts in `samples` (index, fractional): the peak of the
 * cross-correlation with {@link PULSE} within ±`searchFrames`, refined by a parabola through the
 * peak and its neighbours. Null when nothing there correlates (no pulse rendered).
 */
export function locatePulse(samples: Float32Array, expected: number, searchFrames: number): number | null {
  const energy = PULSE.reduce((sum, v) => sum + v * v, 0);
  const correlate = (lag: number) => {
    let sum = 0;
    for (let i = 0; i < PULSE_FRAMES; i++) sum += (samples[lag + i] ?? 0) * PULSE[i]!;
    return sum;
  };
  let best = -Infinity;
  let bestLag = -1;
  const from = Math.max(1, Math.round(expected - searchFrames));
  // A pulse the capture cuts short near its end (the last loud quantum) is still searched.
  const to = Math.min(samples.length - 1, Math.round(expected + searchFrames));
  for (let lag = from; lag <= to; lag++) {
    const value = correlate(lag);
    if (value > best) [best, bestLag] = [value, lag];
  }
  // A rendered pulse correlates with at least half its own energy (lossy coding loses far less).
  if (bestLag < 0 || best < energy / 2) return null;
  const [before, after] = [correlate(bestLag - 1), correlate(bestLag + 1)];
  const curvature = before - 2 * best + after;
  return curvature < 0 ? bestLag + (0.5 * (before - after)) / curvature : bestLag;
}
