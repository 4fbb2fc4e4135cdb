import {
  DEFAULT_DRIFT_CONTROL,
  INITIAL_DRIFT_STATE,
  NAIVE_DRIFT_CONTROL,
  clampNudge,
  stepDriftController,
  type DriftControllerOptions,
  type DriftControllerState,
  type NudgeLimits,
} from "./drift-controller.js";

/**
 * Drift supervision: decides, per control step, which policy the PI controller runs under and
 * what feed-forward rate it may trust. Pure; the player feeds it what it measured.
 *
 * Why it exists (issue 17): under CPU starvation the audio device stalls for 10–990 ms. The
 * speaker map restarts on the jump (AM5) and its young fit can have a slope several % off; fed
 * forward unclamped, pages then played 2–10 % fast and re-seeked every few seconds for a minute.
 * Here the feed-forward comes only from a mature fit and is bounded (DC6), the rendered rate is
 * clamped as a whole (DC7), a detected jump is re-anchored once, after the new fit settled, not
 * chased, and at least 1 s after the previous re-seek (DC8), and drift re-seeks keep a cooldown
 * so they cannot oscillate (DC9). The nudge is bounded against the local clock, not only against
 * the fitted server rate, so a wrong skew fit cannot push the rendered rate past ±0.5 % (DC10).
 */
export interface DriftPolicy {
  /** A speaker fit with at least this many pairs (10 ms apart: 3 s) gives a trusted slope. */
  readonly maturePairs: number;
  /** |feed-forward − 1| is bounded to this (headless Chromium's device runs 1,400 ppm fast). */
  readonly maxFeedForward: number;
  /** After a jump, the decision waits for this many pairs in the new fit... */
  readonly settlePairs: number;
  /** ...or this long (ms), whichever comes first. */
  readonly settleMaxMs: number;
  /** After a jump settled, errors beyond this (ms) are re-seeked once; smaller ones slew. */
  readonly afterJumpSeekMs: number;
  /**
   * A jump's re-seek waits until this long (ms) after the previous re-seek, not the drift
   * cooldown: each stall is its own error and gets its own one correction (DC8), and with
   * stalls every second or two (a busy phone) a correction held back for 3 s, or dropped and
   * slewed at 0.5 %, left tens of ms of error standing for seconds.
   */
  readonly jumpSeekSpacingMs: number;
  /** While the clock estimate is young, errors beyond this (ms) are re-seeked (PB14). */
  readonly youngSeekMs: number;
  /** Drift re-seeks are at least this far apart (ms; PB15, DC9)... */
  readonly seekCooldownMs: number;
  /** ...unless the error exceeds this (ms): nothing slews that away in reasonable time. */
  readonly grossErrorMs: number;
  /**
   * The largest true skew between the local and the server clock the nudge leaves room for
   * (DC10; quartz clocks are within ~100 ppm): the rendered rate against the local clock is
   * kept within ±(maxNudge − this), so against the room it stays within ±maxNudge whatever the
   * fitted skew says (busy pages' fits were seen hundreds of ppm off, issue 17).
   */
  readonly trueSkewMargin: number;
}

/** Defaults for a 250 ms control period and 10 ms speaker pairs. */
export const DEFAULT_DRIFT_POLICY: DriftPolicy = {
  maturePairs: 300,
  maxFeedForward: 0.003,
  settlePairs: 25,
  settleMaxMs: 600,
  afterJumpSeekMs: 3,
  jumpSeekSpacingMs: 1_000,
  youngSeekMs: 10,
  seekCooldownMs: 3_000,
  grossErrorMs: 250,
  trueSkewMargin: 100e-6,
};

/** Supervisor memory. */
export interface DriftSupervisorState {
  readonly pi: DriftControllerState;
  /** The feed-forward rate last taken from a mature fit (null: none yet). */
  readonly trustedBase: number | null;
  /** Speaker-map jumps already seen. */
  readonly jumpsSeen: number;
  /** Local ms of the newest jump not yet corrected (null: none pending). */
  readonly pendingJumpAtMs: number | null;
  readonly lastSeekAtMs: number;
  readonly lastStepAtMs: number | null;
  /** The rate issued last (held while a jump settles). */
  readonly rate: number;
}

/** A fresh supervisor. */
export const INITIAL_SUPERVISOR_STATE: DriftSupervisorState = {
  pi: INITIAL_DRIFT_STATE,
  trustedBase: null,
  jumpsSeen: 0,
  pendingJumpAtMs: null,
  lastSeekAtMs: -Infinity,
  lastStepAtMs: null,
  rate: 1,
};

/** What the player measured for one step. */
export interface DriftInput {
  /** Local ms now. */
  readonly nowMs: number;
  /** Rendered minus timeline position (ms). */
  readonly errorMs: number;
  /** The bridge's raw feed-forward (speaker slope × server skew). */
  readonly rawBaseRate: number;
  /** The clock estimate's fitted skew, the server part of the feed-forward (server ms per local ms − 1). */
  readonly serverSkew: number;
  /** Pairs in the current speaker fit. */
  readonly mapPairs: number;
  /** Speaker-map jumps so far (AM5). */
  readonly mapJumps: number;
  /** The clock estimate is still young (PB14). */
  readonly estimateYoung: boolean;
  readonly naive: boolean;
}

/** What to do now. `hold`: keep the current rate, measure again next step. */
export type SupervisedAction =
  | { readonly kind: "rate"; readonly rate: number }
  | { readonly kind: "seek"; readonly rate: number }
  | { readonly kind: "hold"; readonly rate: number };

/**
 * The feed-forward rate to use now: the raw one bounded to ±`maxFeedForward` once the fit is
 * mature, else the last trusted one, else the raw one bounded (DC6).
 */
export function feedForwardRate(state: DriftSupervisorState, rawBaseRate: number, mapPairs: number, policy: DriftPolicy = DEFAULT_DRIFT_POLICY): number {
  const bounded = Math.max(1 - policy.maxFeedForward, Math.min(1 + policy.maxFeedForward, rawBaseRate));
  if (mapPairs >= policy.maturePairs || state.trustedBase === null) return bounded;
  return state.trustedBase;
}

/** One supervised control step (DC6–DC9 on top of DC1–DC5). */
export function superviseDrift(
  state: DriftSupervisorState,
  input: DriftInput,
  policy: DriftPolicy = DEFAULT_DRIFT_POLICY,
): { state: DriftSupervisorState; action: SupervisedAction } {
  if (input.naive) {
    const step = stepDriftController(state.pi, input.errorMs, 0, 1, NAIVE_DRIFT_CONTROL);
    const next = { ...state, pi: step.state, lastStepAtMs: input.nowMs, rate: 1 };
    return { state: next, action: step.action };
  }
  const base = feedForwardRate(state, input.rawBaseRate, input.mapPairs, policy);
  const limits = nudgeLimits(input.serverSkew, policy);
  const trustedBase = input.mapPairs >= policy.maturePairs ? base : state.trustedBase;
  let pendingJumpAtMs = state.pendingJumpAtMs;
  if (input.mapJumps !== state.jumpsSeen) pendingJumpAtMs = input.nowMs;
  const common = { ...state, trustedBase, jumpsSeen: input.mapJumps, lastStepAtMs: input.nowMs };

  if (pendingJumpAtMs !== null) {
    // DC8: the new fit rests on a few pairs; its error reading is noisy. Hold the rate (no
    // integration: the integral must not learn a stall) until it settled, then decide once.
    const settled = input.mapPairs >= policy.settlePairs || input.nowMs - pendingJumpAtMs >= policy.settleMaxMs;
    if (!settled) return { state: { ...common, pendingJumpAtMs }, action: { kind: "hold", rate: state.rate } };
    if (Math.abs(input.errorMs) > policy.afterJumpSeekMs) {
      const spaced = input.nowMs - state.lastSeekAtMs >= policy.jumpSeekSpacingMs || Math.abs(input.errorMs) > policy.grossErrorMs;
      if (spaced) return reseek({ ...common, pendingJumpAtMs: null }, input, base, limits);
      // Too soon after the previous re-seek: the correction stays pending (not dropped to the
      // slew), and meanwhile only the proportional term acts, so the integral does not learn it.
      const step = stepDriftController(state.pi, input.errorMs, 0, base, { ...DEFAULT_DRIFT_CONTROL, hardSeekMs: Infinity }, limits);
      return { state: { ...common, pendingJumpAtMs, rate: step.action.rate }, action: step.action };
    }
    pendingJumpAtMs = null;
  }

  const coolingDown = !mayReseek(state, input, policy);
  const hardSeekMs = coolingDown
    ? Math.max(DEFAULT_DRIFT_CONTROL.hardSeekMs, policy.grossErrorMs)
    : input.estimateYoung
      ? policy.youngSeekMs
      : DEFAULT_DRIFT_CONTROL.hardSeekMs;
  const options: DriftControllerOptions = { ...DEFAULT_DRIFT_CONTROL, hardSeekMs };
  const dtS = state.lastStepAtMs === null ? 0 : (input.nowMs - state.lastStepAtMs) / 1000;
  const step = stepDriftController(state.pi, input.errorMs, dtS, base, options, limits);
  const next = { ...common, pendingJumpAtMs, pi: step.state, rate: step.action.rate };
  if (step.action.kind === "seek") return { state: { ...next, lastSeekAtMs: input.nowMs }, action: step.action };
  return { state: next, action: step.action };
}

/** DC9: a drift re-seek waits out the cooldown after the previous one, unless the error is gross. */
function mayReseek(state: DriftSupervisorState, input: DriftInput, policy: DriftPolicy): boolean {
  return input.nowMs - state.lastSeekAtMs >= policy.seekCooldownMs || Math.abs(input.errorMs) > policy.grossErrorMs;
}

/**
 * DC10: the interval u may take so that the rendered rate against the local clock,
 * (1 + serverSkew)·(1 − u), stays within 1 ± (maxNudge − trueSkewMargin), inside ±maxNudge.
 */
export function nudgeLimits(serverSkew: number, policy: DriftPolicy = DEFAULT_DRIFT_POLICY): NudgeLimits {
  const { maxNudge } = DEFAULT_DRIFT_CONTROL;
  const local = maxNudge - policy.trueSkewMargin;
  return {
    min: Math.max(-maxNudge, 1 - (1 + local) / (1 + serverSkew)),
    max: Math.min(maxNudge, 1 - (1 - local) / (1 + serverSkew)),
  };
}

function reseek(state: DriftSupervisorState, input: DriftInput, base: number, limits: NudgeLimits): { state: DriftSupervisorState; action: SupervisedAction } {
  const rate = base * (1 - clampNudge(DEFAULT_DRIFT_CONTROL.ki * state.pi.integral, limits));
  const pi = { ...state.pi, hardSeeks: state.pi.hardSeeks + 1 };
  return { state: { ...state, pi, rate, lastSeekAtMs: input.nowMs }, action: { kind: "seek", rate } };
}
