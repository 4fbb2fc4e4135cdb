import { ClockEstimator, serverTimeAt, type ClockFilterOptions } from "../src/clock-estimator.js";
import { pingPeriodMs } from "../src/engine-timing.js";
import { exchange, trueServerTime, type DelayModel, type TrueClock } from "./network-model.js";

/**
 * Joins at local 1 s and pings on the engine's own schedule (EN1) through `delays`; returns the
 * estimate's error (ms) at each of `atS` seconds after joining.
 */
export function errorsAfterJoin(clock: TrueClock, delays: DelayModel, atS: readonly number[], options?: ClockFilterOptions): number[] {
  const estimator = new ClockEstimator(300, false, options);
  const join = 1_000;
  const errors: number[] = [];
  for (let t = join, k = 0; k < atS.length; ) {
    estimator.add(exchange(clock, t, delays));
    const next = t + pingPeriodMs(t - join);
    for (; k < atS.length && next - join > atS[k]! * 1000; k++) {
      const at = join + atS[k]! * 1000;
      errors.push(serverTimeAt(estimator.estimate()!, at) - trueServerTime(clock, at));
    }
    t = next;
  }
  return errors;
}
