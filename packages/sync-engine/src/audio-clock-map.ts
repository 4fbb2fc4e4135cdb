import { fitLine, lineAt, type LineFit } from "./linear-fit.js";
import { lowerEdgeOffset } from "./lower-edge.js";
import type { AudioTimestamp } from "./types.js";

/**
 * The fitted relation between audio-context time (s) and the local clock (ms) at the speaker:
 * `localMs = refLocalMs + msPerSecond · (contextTime − refContext)`.
 */
export interface AudioClockFit {
  readonly refContext: number;
  readonly refLocalMs: number;
  /** Local milliseconds per audio-context second (1000 when the clocks agree). */
  readonly msPerSecond: number;
  readonly samples: number;
  /** RMS residual about the least-squares line (ms): the per-pair quantisation and jitter. */
  readonly rmsMs: number;
}

/** The local instant (ms) at which the speaker plays context time `contextTime`. */
export function localAtContext(fit: AudioClockFit, contextTime: number): number {
  return fit.refLocalMs + fit.msPerSecond * (contextTime - fit.refContext);
}

/** The context time (s) that the speaker plays at local instant `localMs`. */
export function contextAtLocal(fit: AudioClockFit, localMs: number): number {
  return fit.refContext + (localMs - fit.refLocalMs) / fit.msPerSecond;
}

/** Audio clock rate relative to the local clock, in ppm (positive: the audio clock runs fast). */
export function audioSkewPpm(fit: AudioClockFit): number {
  return (1000 / fit.msPerSecond - 1) * 1e6;
}

/** The naive mapping from one (contextTime, localMs) pair, assuming the clocks run at one rate. */
export function singlePairFit(pair: AudioTimestamp): AudioClockFit {
  return { refContext: pair.contextTime, refLocalMs: pair.localTimeMs, msPerSecond: 1000, samples: 1, rmsMs: 0 };
}

/** Tuning of {@link fitAudioClock}. */
export interface AudioFitOptions {
  /** The rate is fitted once the pairs span this many context seconds; before, 1000 ms/s. */
  readonly minRateSpanS: number;
  /** Pairs further than this many RMS from the first fit are dropped before refitting... */
  readonly outlierSigmas: number;
  /** ...but never pairs within this many ms (the render cadence jitter is a few ms). */
  readonly outlierFloorMs: number;
}

/** Defaults for `getOutputTimestamp()` pairs (3–5 ms quantisation each, measured). */
export const DEFAULT_AUDIO_FIT: AudioFitOptions = { minRateSpanS: 1, outlierSigmas: 3, outlierFloorMs: 2 };

function toFit(line: LineFit, refContext: number): AudioClockFit {
  return { refContext, refLocalMs: lineAt(line, refContext), msPerSecond: line.slope, samples: line.n, rmsMs: line.rms };
}

/**
 * Least-squares fit of local time against context time over many pairs: a single pair is
 * quantised by the render cadence (3–5 ms measured in Chromium); the fit averages that away and
 * measures the audio clock's rate against the local clock (~1,400 ppm in headless Chromium).
 * Pairs that are all read late (Firefox, OT2) are fitted along their lower edge instead (OT5):
 * the least-squares line through them sits about half a read interval late.
 */
export function fitAudioClock(pairs: readonly AudioTimestamp[], options: AudioFitOptions = DEFAULT_AUDIO_FIT): AudioClockFit | null {
  if (pairs.length === 0) return null;
  const first = pairs[0]!;
  const last = pairs[pairs.length - 1]!;
  const fixed = last.contextTime - first.contextTime < options.minRateSpanS ? 1000 : undefined;
  const points = pairs.map((p) => ({ x: p.contextTime, y: p.localTimeMs, w: 1 }));
  let kept = points;
  let line = fitLine(points, fixed);
  if (!line) return null;
  // Trim and refit until no pair is far out (a few rounds: one big outlier inflates the first RMS).
  for (let round = 0; round < 4; round++) {
    const fit: LineFit = line;
    const limit = Math.max(options.outlierFloorMs, options.outlierSigmas * fit.rms);
    const inliers = points.filter((p) => Math.abs(p.y - lineAt(fit, p.x)) <= limit);
    if (inliers.length < 2 || inliers.length === fit.n) break;
    const refit = fitLine(inliers, fixed);
    if (!refit) break;
    kept = inliers;
    line = refit;
  }
  if (pairs.every((p) => p.readLate)) {
    const centred: LineFit = line;
    line = { ...centred, y0: centred.y0 + lowerEdgeOffset(kept.map((p) => p.y - lineAt(centred, p.x))) };
  }
  return toFit(line, last.contextTime);
}

/**
 * A rolling window of pairs with its fit. A pair far off the current fit (the context was
 * suspended, the device changed, the tab slept) starts a new window.
 */
export class AudioClockMap {
  private pairs: AudioTimestamp[] = [];
  private suspects: AudioTimestamp[] = [];
  private current: AudioClockFit | null = null;
  private dirty = false;
  /** Audio clock jumps detected so far (the window restarted on them). */
  jumps = 0;

  /**
   * @param maxPairs window length (at one pair per 10 ms, 30 s: a few ppm of rate, < 0.1 ms of offset).
   * @param jumpFloorMs a pair off the fit by more than max(this, 6 RMS) is suspect; see {@link add}.
   */
  constructor(
    private readonly maxPairs = 3_000,
    private readonly jumpFloorMs = 1,
    private readonly options: AudioFitOptions = DEFAULT_AUDIO_FIT,
  ) {}

  /**
   * Adds a pair (ignoring invalid or repeated ones); returns the fit. A pair far off the fit is
   * held back; {@link JUMP_CONFIRMATIONS} in a row mean the audio clock jumped against the local
   * clock (a render glitch, the context suspended, the device changed) and the window restarts
   * from them, so a stale window does not drag the mapping for its whole length.
   */
  add(pair: AudioTimestamp): AudioClockFit | null {
    if (!Number.isFinite(pair.contextTime) || !Number.isFinite(pair.localTimeMs) || pair.contextTime <= 0) return this.fit();
    const last = this.suspects[this.suspects.length - 1] ?? this.pairs[this.pairs.length - 1];
    if (last && pair.contextTime <= last.contextTime) {
      if (pair.contextTime === last.contextTime) return this.fit();
      this.jumps++;
      this.restart([]);
    }
    const fit = this.pairs.length >= 10 ? this.fit() : null;
    if (fit && Math.abs(localAtContext(fit, pair.contextTime) - pair.localTimeMs) > Math.max(this.jumpFloorMs, 6 * fit.rmsMs)) {
      this.suspects.push(pair);
      if (this.suspects.length >= JUMP_CONFIRMATIONS) {
        this.jumps++;
        this.restart(this.suspects);
      }
      return this.fit();
    }
    this.suspects = [];
    this.pairs.push(pair);
    if (this.pairs.length > this.maxPairs) this.pairs.shift();
    this.dirty = true;
    return this.fit();
  }

  private restart(pairs: AudioTimestamp[]): void {
    this.pairs = [...pairs];
    this.suspects = [];
    this.current = null;
    this.dirty = true;
  }

  /** The current fit (refitted lazily), null before the first pair. */
  fit(): AudioClockFit | null {
    if (this.dirty) {
      this.current = fitAudioClock(this.pairs, this.options);
      this.dirty = false;
    }
    return this.current;
  }

  /** Forgets every pair. */
  reset(): void {
    this.restart([]);
  }
}

/** Consecutive off-fit pairs (10 ms apart) that confirm an audio clock jump. */
export const JUMP_CONFIRMATIONS = 3;
