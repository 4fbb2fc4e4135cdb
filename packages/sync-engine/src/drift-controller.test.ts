import { describe, expect, it } from "vitest";
import { seededRandom } from "../test/random.js";
import {
  DEFAULT_DRIFT_CONTROL,
  INITIAL_DRIFT_STATE,
  NAIVE_DRIFT_CONTROL,
  stepDriftController,
  type DriftControllerOptions,
} from "./drift-controller.js";

interface SimulationResult {
  readonly errors: number[];
  readonly rates: number[];
  readonly hardSeeks: number;
}

/**
 * A player whose audio clock runs `ppm` fast, starting `initialErrorMs` off, controlled every
 * 250 ms for `seconds`. The measurement carries ±`noiseMs` of uniform noise (the clock fits).
 */
function simulate(ppm: number, initialErrorMs: number, seconds: number, opts: { baseRate?: number; noiseMs?: number; options?: DriftControllerOptions } = {}): SimulationResult {
  const random = seededRandom(42);
  const dt = 0.25;
  let error = initialErrorMs;
  let rate = opts.baseRate ?? 1;
  let state = INITIAL_DRIFT_STATE;
  const errors: number[] = [];
  const rates: number[] = [];
  for (let step = 0; step < seconds / dt; step++) {
    error += dt * 1000 * ((1 + ppm * 1e-6) * rate - 1);
    const measured = error + (2 * random() - 1) * (opts.noiseMs ?? 0);
    const out = stepDriftController(state, measured, dt, opts.baseRate ?? 1, opts.options);
    state = out.state;
    if (out.action.kind === "seek") error = 0;
    rate = out.action.rate;
    errors.push(error);
    rates.push(rate);
  }
  return { errors, rates, hardSeeks: state.hardSeeks };
}

const last = (values: number[], count: number) => values.slice(-count);
const zeroCrossings = (values: number[]) => values.slice(1).filter((v, i) => Math.sign(v) !== Math.sign(values[i]!) && v !== 0).length;

describe("drift controller", () => {
  it.each([100, -100, 1_400, -1_400])("[DC1] learns a %s ppm audio clock without feed-forward and holds under 0.05 ms", (ppm) => {
    const { errors, rates, hardSeeks } = simulate(ppm, 0, 60);
    expect(hardSeeks).toBe(0);
    expect(Math.max(...last(errors, 80).map(Math.abs))).toBeLessThan(0.05);
    // The learned rate cancels the clock error.
    expect(rates[rates.length - 1]! * (1 + ppm * 1e-6)).toBeCloseTo(1, 6);
    expect(Math.max(...errors.map(Math.abs))).toBeLessThan(2);
  });

  it.each([30, -30, 10])("[DC2] removes a %s ms error smoothly: within the 0.5 percent band, no ringing", (initial) => {
    const { errors, rates, hardSeeks } = simulate(1_400, initial, 40, { baseRate: 1 / 1.0014 });
    expect(hardSeeks).toBe(0);
    expect(Math.min(...rates)).toBeGreaterThanOrEqual((1 / 1.0014) * (1 - 0.005) - 1e-12);
    expect(Math.max(...rates)).toBeLessThanOrEqual((1 / 1.0014) * (1 + 0.005) + 1e-12);
    expect(Math.abs(errors[errors.length - 1]!)).toBeLessThan(0.01);
    // Critically damped: at most one crossing of zero and an overshoot under 5 % of the step.
    expect(zeroCrossings(errors)).toBeLessThanOrEqual(1);
    const overshoot = Math.max(...errors.map((e) => -Math.sign(initial) * e));
    expect(overshoot).toBeLessThan(0.05 * Math.abs(initial));
    // 0.5 % of rate removes 5 ms per second: 30 ms is gone within ~10 s.
    const settled = errors.findIndex((e) => Math.abs(e) < 1);
    expect(settled * 0.25).toBeLessThan(12);
  });

  it("[DC3] re-seeks errors beyond 50 ms and counts them", () => {
    const { errors, hardSeeks } = simulate(0, 120, 5);
    expect(hardSeeks).toBe(1);
    expect(Math.abs(errors[errors.length - 1]!)).toBeLessThan(1e-9);
  });

  it("[DC4] measurement noise of ±0.3 ms keeps the rate near its steady value", () => {
    const { errors, rates } = simulate(1_400, 0, 60, { baseRate: 1 / 1.0014, noiseMs: 0.3 });
    expect(Math.max(...last(errors, 120).map(Math.abs))).toBeLessThan(0.5);
    const spread = Math.max(...last(rates, 120)) - Math.min(...last(rates, 120));
    expect(spread).toBeLessThan(0.002);
  });

  it("[DC5] the naive policy never nudges and re-seeks only past 500 ms", () => {
    const { errors, rates, hardSeeks } = simulate(1_400, 0, 60, { options: NAIVE_DRIFT_CONTROL });
    expect(new Set(rates)).toEqual(new Set([1]));
    expect(hardSeeks).toBe(0);
    expect(errors[errors.length - 1]).toBeCloseTo(84, 6);
    expect(DEFAULT_DRIFT_CONTROL.hardSeekMs).toBeLessThan(NAIVE_DRIFT_CONTROL.hardSeekMs);
  });
});
