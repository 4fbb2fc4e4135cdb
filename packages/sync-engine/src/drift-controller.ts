import { NAIVE_RESYNC_THRESHOLD_MS } from "./naive.js";

/**
 * Drift control: keeps the rendered position on the canonical timeline.
 *
 * Plant: with playback rate r and a device whose audio clock runs ε fast, the error e (rendered
 * minus timeline, seconds) grows by ((1 + ε)·r − 1) per second. Controller: PI on e,
 * r = base · (1 − u), u = kp·e + ki·∫e dt, |u| ≤ maxNudge. `base` is the feed-forward rate from
 * the clock fits (it cancels the known audio-clock rate); the integral learns what it misses.
 *
 * Gains: sampled every Δ = 0.25 s the loop is e' = (1 − kpΔ)e − kiΔ²·Σe, whose characteristic
 * polynomial z² + (kpΔ + kiΔ² − 2)z + (1 − kpΔ) has a double root at z = 0.8 for kp = 1.44/s,
 * ki = 0.64/s²: critically damped (no ringing), time constant ≈ 1.1 s. Errors beyond `hardSeekMs`
 * are not worth minutes of rate nudging at ±0.5 %: they are re-seeked.
 */
export interface DriftControllerOptions {
  /** Proportional gain (1/s). */
  readonly kp: number;
  /** Integral gain (1/s²). */
  readonly ki: number;
  /** Largest rate correction (0.005 = ±0.5 %, inaudible as pitch). */
  readonly maxNudge: number;
  /** Errors larger than this (ms) are corrected by a hard re-seek. */
  readonly hardSeekMs: number;
}

/** Defaults for a 250 ms control period. */
export const DEFAULT_DRIFT_CONTROL: DriftControllerOptions = { kp: 1.44, ki: 0.64, maxNudge: 0.005, hardSeekMs: 50 };

/** The naive seed policy: no nudging, re-seek past 500 ms. */
export const NAIVE_DRIFT_CONTROL: DriftControllerOptions = { kp: 0, ki: 0, maxNudge: 0, hardSeekMs: NAIVE_RESYNC_THRESHOLD_MS };

/** Controller memory. */
export interface DriftControllerState {
  /** ∫ e dt (s²). */
  readonly integral: number;
  readonly hardSeeks: number;
}

/** A fresh controller. */
export const INITIAL_DRIFT_STATE: DriftControllerState = { integral: 0, hardSeeks: 0 };

/** The interval u may take this step (defaults to ±maxNudge). */
export interface NudgeLimits {
  readonly min: number;
  readonly max: number;
}

/** `u` within `limits`. */
export function clampNudge(u: number, limits: NudgeLimits): number {
  return Math.max(limits.min, Math.min(limits.max, u));
}

/** What to do now: set the playback rate, or re-seek to the timeline (and play at `rate`). */
export type DriftAction = { readonly kind: "rate"; readonly rate: number } | { readonly kind: "seek"; readonly rate: number };

/**
 * One control step.
 * @param errorMs rendered position minus timeline position (ms; positive: ahead).
 * @param dtS seconds since the previous step (the integral's time step).
 * @param baseRate feed-forward rate (1 when nothing is known).
 * @param limits the interval u may take, inside ±maxNudge (the supervisor narrows it, DC10).
 */
export function stepDriftController(
  state: DriftControllerState,
  errorMs: number,
  dtS: number,
  baseRate = 1,
  options: DriftControllerOptions = DEFAULT_DRIFT_CONTROL,
  limits: NudgeLimits = { min: -options.maxNudge, max: options.maxNudge },
): { state: DriftControllerState; action: DriftAction } {
  const clampU = (u: number) => clampNudge(u, limits);
  if (Math.abs(errorMs) > options.hardSeekMs) {
    const rate = baseRate * (1 - clampU(options.ki * state.integral));
    return { state: { ...state, hardSeeks: state.hardSeeks + 1 }, action: { kind: "seek", rate } };
  }
  const e = errorMs / 1000;
  const candidate = state.integral + e * Math.max(0, dtS);
  const unclamped = options.kp * e + options.ki * candidate;
  // Conditional integration (anti-windup): while saturated, only integrate towards unsaturation.
  const integral = clampU(unclamped) === unclamped || Math.sign(e) !== Math.sign(unclamped) ? candidate : state.integral;
  const u = clampU(options.kp * e + options.ki * integral);
  return { state: { ...state, integral }, action: { kind: "rate", rate: baseRate * (1 - u) } };
}
