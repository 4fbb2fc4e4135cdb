/**
 * What a microphone at the listener hears in the simulated room (pure): every page's rendered
 * sound, delayed and scaled by its hidden acoustic path, summed, through one shared reverb tail,
 * plus seeded noise, as seen `inputLatencyMs` late by the measuring page.
 *
 * Frames are the measuring page's audio-context frames; instants are wall-clock ms; each page's
 * clock map says which of its frames it rendered at which instant (its speaker-time fit).
 */
import { seededRandom } from "../sync/delay-proxy.js";

/** A page's frames to and from the wall-clock instants it renders them at. */
export interface FrameClock {
  toWallMs(frame: number): number;
  toFrame(wallMs: number): number;
}

/** A rendered signal as the mix reads it ({@link RenderedSamples} is one). */
export interface RenderedSignal {
  valueAt(frame: number): number;
  readonly knownToFrame: number;
}

/** The hidden acoustic path from one page's speaker to the microphone. Gain 0: not heard at all. */
export interface AcousticPath {
  readonly delayMs: number;
  readonly gain: number;
}

export interface MixSource {
  readonly signal: RenderedSignal;
  readonly clock: FrameClock;
  readonly path: AcousticPath;
}

/** One reflection of the shared reverb: `lagFrames` after the direct sound, `gain` of it. */
export interface Reflection {
  readonly lagFrames: number;
  readonly gain: number;
}

export interface RoomSound {
  readonly reflections: readonly Reflection[];
  /** RMS of the white (Gaussian) noise added at the microphone. */
  readonly noiseRms: number;
  readonly seed: number;
}

/**
 * A sparse exponentially decaying reverb tail: `count` reflections from `firstMs` to `lastMs`,
 * the level falling 60 dB per `rt60Ms`, starting at `firstGain`, signs random. Deterministic per seed.
 */
export function reverbTail(options: { seed: number; sampleRate: number; rt60Ms: number; count: number; firstMs: number; lastMs: number; firstGain: number }): Reflection[] {
  const random = seededRandom(options.seed);
  const reflections: Reflection[] = [];
  for (let k = 0; k < options.count; k++) {
    const lagMs = options.firstMs + (options.lastMs - options.firstMs) * random();
    const level = options.firstGain * 10 ** ((-3 * (lagMs - options.firstMs)) / options.rt60Ms);
    const lagFrames = Math.max(1, Math.round((lagMs / 1000) * options.sampleRate));
    reflections.push({ lagFrames, gain: random() < 0.5 ? -level : level });
  }
  return reflections.sort((a, b) => a.lagFrames - b.lagFrames);
}

/** Standard normal deviates from a seeded uniform source (Box–Muller). */
function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Streams the microphone signal, block after contiguous block, from `firstFrame` on. */
export class MicrophoneMix {
  private nextFrame: number;
  /** The dry sum of the last `history.length` frames, a ring indexed by frame. */
  private readonly history: Float64Array;
  private readonly noise: () => number;

  constructor(
    private readonly sources: readonly MixSource[],
    private readonly microphone: { readonly clock: FrameClock; readonly inputLatencyMs: number },
    private readonly room: RoomSound,
    firstFrame: number,
  ) {
    this.nextFrame = firstFrame;
    const longest = Math.max(0, ...room.reflections.map((r) => r.lagFrames));
    this.history = new Float64Array(longest + 1);
    this.noise = gaussian(seededRandom(room.seed));
  }

  /** The next frame {@link render} produces. */
  get renderedToFrame(): number {
    return this.nextFrame;
  }

  /** The wall instant whose sound microphone frame `frame` carries. */
  heardAtMs(frame: number): number {
    return this.microphone.clock.toWallMs(frame) - this.microphone.inputLatencyMs;
  }

  /** The first microphone frame that needs a sample some audible page has not rendered (or reported) yet. */
  horizonFrame(): number {
    let horizon = Number.POSITIVE_INFINITY;
    for (const source of this.sources) {
      if (source.path.gain === 0) continue;
      const heardMs = source.clock.toWallMs(source.signal.knownToFrame) + source.path.delayMs + this.microphone.inputLatencyMs;
      horizon = Math.min(horizon, Math.floor(this.microphone.clock.toFrame(heardMs)));
    }
    return horizon;
  }

  /**
   * Jumps to `frame` without rendering what lies before it (frames the microphone has already
   * passed: nobody will hear them); the reverb forgets what it skipped.
   */
  skipTo(frame: number): void {
    if (frame <= this.nextFrame) return;
    this.history.fill(0);
    this.nextFrame = frame;
  }

  /** Microphone samples for frames `[renderedToFrame, toFrame)`. */
  render(toFrame: number): Float32Array {
    const out = new Float32Array(Math.max(0, toFrame - this.nextFrame));
    const ring = this.history.length;
    for (let i = 0; i < out.length; i++) {
      const frame = this.nextFrame + i;
      const heardMs = this.heardAtMs(frame);
      let dry = 0;
      for (const source of this.sources) {
        if (source.path.gain === 0) continue;
        dry += source.path.gain * source.signal.valueAt(source.clock.toFrame(heardMs - source.path.delayMs));
      }
      this.history[frame % ring] = dry;
      let wet = dry;
      for (const reflection of this.room.reflections) wet += reflection.gain * this.history[(frame - reflection.lagFrames + ring) % ring]!;
      out[i] = wet + this.room.noiseRms * this.noise();
    }
    this.nextFrame += out.length;
    return out;
  }
}

/** A linear clock: frame 0 rendered at `originMs`, `sampleRate` frames per second. */
export function linearClock(originMs: number, sampleRate: number): FrameClock {
  return { toWallMs: (frame) => originMs + (frame * 1000) / sampleRate, toFrame: (wallMs) => ((wallMs - originMs) * sampleRate) / 1000 };
}
