import { supportSlope } from "./envelope.js";
import { medianLegExcess, weightedLegSlope } from "./leg-slope.js";

/**
 * One NTP-style exchange: `t0` local send, `t1` server receive, `t2` server send, `t3` local
 * receive. Local instants are in the engine's {@link Clock} base, server instants in server ms.
 */
export interface ClockSample {
  readonly t0: number;
  readonly t1: number;
  readonly t2: number;
  readonly t3: number;
}

/** θ = ((t1 − t0) + (t2 − t3)) / 2: server minus local, exact when both legs take equally long. */
export function sampleOffset(s: ClockSample): number {
  return (s.t1 - s.t0 + (s.t2 - s.t3)) / 2;
}

/** δ = (t3 − t0) − (t2 − t1): the network round trip without the server's turnaround. */
export function sampleDelay(s: ClockSample): number {
  return s.t3 - s.t0 - (s.t2 - s.t1);
}

/**
 * The estimated relation between the local clock and the server clock:
 * `server = local + offsetMs + skew · (local − refLocalMs)`.
 */
export interface ClockEstimate {
  readonly refLocalMs: number;
  /** Server minus local at `refLocalMs`. */
  readonly offsetMs: number;
  /** d(offset)/d(local), dimensionless (1e-6 = 1 ppm: the server clock runs 1 ppm fast). */
  readonly skew: number;
  /** The smallest network round trip δ in the window (ms). */
  readonly bestDelayMs: number;
  /** Round trip of the newest sample (ms). */
  readonly lastDelayMs: number;
  /** Samples in the window. */
  readonly samples: number;
  /**
   * How far off the offset typically still is (ms, CE18): after n samples each leg's floor sits
   * about (the leg's queueing spread) / (n + 1) above the true one, and the offset is off by half
   * their difference: median leg excess / (n + 1), plus the timer's step. Hundredths of a ms on a
   * LAN after the burst; about 2.5 ms after five pings with ±20 ms of jitter per leg (the error
   * then averages 3.5 ms, up to 10), 0.9 ms after twenty (error 0.8, up to 3).
   */
  readonly floorErrorMs: number;
}

/** The server instant that corresponds to local instant `localMs`. */
export function serverTimeAt(est: ClockEstimate, localMs: number): number {
  return localMs + est.offsetMs + est.skew * (localMs - est.refLocalMs);
}

/** The local instant at which the server clock reads `serverMs` (inverse of {@link serverTimeAt}). */
export function localTimeAt(est: ClockEstimate, serverMs: number): number {
  return (serverMs - est.offsetMs + est.skew * est.refLocalMs) / (1 + est.skew);
}

/** Tuning of {@link estimateClock}; defaults in {@link DEFAULT_CLOCK_FILTER}. */
export interface ClockFilterOptions {
  /** The rate is only fitted once the samples span this long (ms); before, `priorSkew` is used. */
  readonly minSkewSpanMs: number;
  /** |skew| is clamped to this (crystals differ by ~100 ppm; beyond 300 ppm it is noise or a broken clock). */
  readonly maxSkew: number;
  /**
   * The offset bounds come from the newest `offsetSamples` samples, or from every sample of the
   * last `offsetSpanMs` if that is more: older ones would carry any error of the rate over a
   * longer lever arm. The rate uses the whole window.
   */
  readonly offsetSamples: number;
  readonly offsetSpanMs: number;
  /** Calibration of the rate's noise estimate, against which a fitted rate is shrunk. */
  readonly skewNoiseFactor: number;
  /**
   * The step the local clock reads in (ms; 0 for a continuous clock): 1 ms in Firefox and 0.1 ms
   * in Chromium on a plain page, 0.02 and 0.005 ms cross-origin isolated. Both browsers coarsen
   * with a random threshold per step, so a reading may be up to one step early or late: each
   * bound is widened by it (see {@link estimateClock}).
   */
  readonly timerQuantumMs: number;
}

/** Defaults tuned for the engine's ping schedule (fast for a minute, then every 3 s). */
export const DEFAULT_CLOCK_FILTER: ClockFilterOptions = {
  minSkewSpanMs: 10_000,
  maxSkew: 300e-6,
  offsetSamples: 64,
  offsetSpanMs: 60_000,
  skewNoiseFactor: 4,
  timerQuantumMs: 0,
};

/**
 * Estimates offset and rate from a window of samples, from the delay floors of each leg.
 *
 * Each sample bounds the offset from both sides: offset(t0) ≤ t1 − t0 because the up leg takes
 * ≥ 0, and offset(t3) ≥ t2 − t3 because the down leg does. Queueing only ever loosens a bound, so
 * outlier spikes cannot move the estimate, and the best up leg and best down leg need not come
 * from the same exchange (with independently jittered legs this converges much faster than
 * keeping the single minimum-RTT sample).
 *
 * Rate: the supporting line under the (t0, t1 − t0) points and the one over the (t3, t2 − t3)
 * points (see {@link supportSlope}) both follow the offset's drift; their mean slope is the skew.
 * Offset: with that rate removed, the midpoint of the tightest upper and lower bounds. With fixed
 * legs the error is (up − down)/2, the theoretical limit of any two-way exchange. Returns null for
 * an empty window.
 *
 * Coarse local timers: a reading r of a local instant t only says t ∈ (r − q, r + q), so each
 * bound is widened by the quantum q, and a δ down to −2q is possible. Unwidened, the floors cross
 * once enough samples arrive (on a LAN the round trip is far below 1 ms) and the estimate falls
 * back to one quantised sample; widened, they close in on the true floors as the samples' phases
 * against the step boundaries spread out, which any real ping schedule does.
 */
export function estimateClock(
  window: readonly ClockSample[],
  options: ClockFilterOptions = DEFAULT_CLOCK_FILTER,
  priorSkew = 0,
): ClockEstimate | null {
  const q = options.timerQuantumMs;
  const valid = window.filter((s) => sampleDelay(s) >= -2 * q);
  const last = window[window.length - 1];
  if (valid.length === 0 || !last) return null;
  let best = valid[0]!;
  let minT = Infinity;
  let maxT = -Infinity;
  for (const s of valid) {
    if (sampleDelay(s) < sampleDelay(best)) best = s;
    minT = Math.min(minT, s.t0);
    maxT = Math.max(maxT, s.t3);
  }
  let skew = priorSkew;
  let fitSkew = priorSkew;
  if (maxT - minT >= options.minSkewSpanMs) {
    const up = supportSlope(valid.map((s) => ({ x: s.t0, y: s.t1 - s.t0 })), "below");
    const down = supportSlope(valid.map((s) => ({ x: s.t3, y: s.t2 - s.t3 })), "above");
    if (up !== null && down !== null) {
      const raw = weightedLegSlope(valid, up, down);
      // Two independent estimates of one rate: their disagreement measures the noise too.
      const model = slopeNoise(valid, raw, maxT - minT, options.skewNoiseFactor);
      const noise = Math.hypot(model, (up - down) / 2);
      // Shrink an estimate that the jitter cannot support towards 0 (Wiener-style): with 40 ms
      // of jitter a minute of pings cannot tell 50 ppm from 0, and a wrong rate is worse than none.
      const clampSkew = (rate: number) => Math.max(-options.maxSkew, Math.min(options.maxSkew, rate));
      skew = clampSkew(shrinkTowardsZero(raw, noise));
      // The bounds are projected with the raw slope (the best fit over the window itself: a shrunk
      // one leaves a bias proportional to the true skew over the window's lever arm, CE17), pulled
      // in only by the legs' disagreement beyond what their jitter explains (CE20): a leg whose
      // floor drifts (pongs handled later and later by a busy page) is no clock rate.
      const unexplained = Math.max(0, Math.abs(up - down) / 2 - model);
      fitSkew = clampSkew(shrinkTowardsZero(raw, unexplained));
    }
  }
  const newest = valid[valid.length - 1]!.t3;
  const recent = valid.filter((s, i) => i >= valid.length - options.offsetSamples || s.t3 >= newest - options.offsetSpanMs);
  const x0 = recent.reduce((sum, s) => sum + (s.t0 + s.t3) / 2, 0) / recent.length;
  let upper = Infinity;
  let lower = -Infinity;
  for (const s of recent) {
    upper = Math.min(upper, s.t1 - s.t0 + q - fitSkew * (s.t0 - x0));
    lower = Math.max(lower, s.t2 - s.t3 - q - fitSkew * (s.t3 - x0));
  }
  // Crossed bounds mean the rate is off or a clock stepped: trust the minimum-RTT sample alone.
  const offsetMs = upper >= lower ? (upper + lower) / 2 : sampleOffset(best) - fitSkew * ((best.t0 + best.t3) / 2 - x0);
  return {
    refLocalMs: x0,
    offsetMs,
    skew,
    bestDelayMs: sampleDelay(best),
    lastDelayMs: sampleDelay(last),
    samples: window.length,
    floorErrorMs: medianLegExcess(recent, fitSkew) / (recent.length + 1) + q,
  };
}

/** `rate` pulled towards 0 by `noise` (rate · rate² / (rate² + noise²)): little when the noise is small against it. */
function shrinkTowardsZero(rate: number, noise: number): number {
  return (rate * rate * rate) / (rate * rate + noise * noise || 1);
}

/**
 * A rough standard error of the floor slope: the floors are about as uncertain as the median
 * excess delay over them divided by the sample count, over a lever arm of the window's span.
 * `factor` was calibrated on synthetic uniform and exponential jitter.
 */
function slopeNoise(samples: readonly ClockSample[], slope: number, span: number, factor: number): number {
  return (factor * medianLegExcess(samples, slope)) / (samples.length * span);
}

/** The naive seed estimate: the newest sample alone, offset = serverTime − (t0 + RTT/2), no rate. */
export function estimateClockNaive(window: readonly ClockSample[]): ClockEstimate | null {
  const last = window[window.length - 1];
  if (!last) return null;
  const rtt = last.t3 - last.t0;
  return {
    refLocalMs: last.t3,
    offsetMs: last.t2 - (last.t0 + rtt / 2),
    skew: 0,
    bestDelayMs: rtt,
    lastDelayMs: rtt,
    samples: 1,
    floorErrorMs: rtt / 2,
  };
}

/** A rolling window of samples with its current estimate. */
export class ClockEstimator {
  private window: ClockSample[] = [];
  private suspects: ClockSample[] = [];
  private current: ClockEstimate | null = null;

  /**
   * @param maxSamples window length (the rate's lever arm: after the engine's faster first minute,
   *   300 pings reach back about 10 minutes).
   * @param naive use the seed algorithm ({@link estimateClockNaive}) instead of the filter.
   */
  constructor(
    private readonly maxSamples = 300,
    private readonly naive = false,
    private readonly options: ClockFilterOptions = DEFAULT_CLOCK_FILTER,
  ) {}

  /**
   * Adds a sample and re-estimates; returns the new estimate. A sample that contradicts the
   * estimate (a delay cannot be negative, so only a clock step can put it outside the bounds)
   * is held back; {@link STEP_CONFIRMATIONS} in a row mean the server clock stepped (or a new
   * server answers): the window restarts from them.
   */
  add(sample: ClockSample): ClockEstimate | null {
    if (!this.naive && contradicts(this.window, sample)) {
      this.suspects.push(sample);
      if (this.suspects.length < STEP_CONFIRMATIONS) return this.current;
      this.window = this.suspects;
      this.suspects = [];
      this.current = null;
    } else {
      this.suspects = [];
      this.window.push(sample);
      if (this.window.length > this.maxSamples) this.window.shift();
    }
    this.current = this.naive
      ? estimateClockNaive(this.window)
      : estimateClock(this.window, this.options, this.current?.skew ?? 0);
    return this.current;
  }

  /** The current estimate, null before the first sample. */
  estimate(): ClockEstimate | null {
    return this.current;
  }

  /** Forgets every sample. */
  reset(): void {
    this.window = [];
    this.suspects = [];
    this.current = null;
  }
}

/** A sample this far (ms) outside the bounds recent samples allow is evidence of a clock step... */
export const STEP_TOLERANCE_MS = 5;
/** ...plus what an unknown rate (up to this, per ms of age) could explain. */
const STEP_RATE_ALLOWANCE = 300e-6;
/** How many recent samples a new one is checked against. */
const STEP_RECENT = 8;
/** Consecutive contradicting samples that confirm a step. */
export const STEP_CONFIRMATIONS = 3;

/**
 * True when `s` cannot be reconciled with the recent samples: its up-leg bound lies below their
 * down-leg bound, or the reverse, by more than delays (never negative) and a plausible rate allow.
 */
function contradicts(window: readonly ClockSample[], s: ClockSample): boolean {
  const recent = window.slice(-STEP_RECENT);
  if (recent.length < 3) return false;
  const tolerance = STEP_TOLERANCE_MS + STEP_RATE_ALLOWANCE * (s.t3 - recent[0]!.t0);
  const upper = Math.min(...recent.map((r) => r.t1 - r.t0));
  const lower = Math.max(...recent.map((r) => r.t2 - r.t3));
  return s.t1 - s.t0 < lower - tolerance || s.t2 - s.t3 > upper + tolerance;
}
