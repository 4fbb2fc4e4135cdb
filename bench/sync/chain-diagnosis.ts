/**
 * Why a page of the measurement-chain check (`check-tap.ts`) is off, split into its two possible
 * causes. Pure: the check hands in what it has. The check schedules with `start(when)` through a
 * fit of the output timestamps read before it (the schedule fit) and reads the result through a
 * fit of all of them (the analysis fit), so a page's chain error is either `start(when)` not
 * starting at `when` or the two fits disagreeing about when the `when` frame is heard.
 */
import { evalFit, segmentAt, type FitSegment, type LinearFit } from "./fit.js";

export interface ChainDiagnosis {
  /** First sounding tap frame minus `when` in frames: what `start(when)` itself did. */
  readonly startOffsetFrames: number;
  /** Analysis fit minus schedule fit (ms) at `when`, and at the end of the checked stretch: > 0 is heard late. */
  readonly fitsApartAtStartMs: number;
  readonly fitsApartAtEndMs: number;
  /** Each fit's rate against the wall clock, in ppm off 1 ms per ms (the schedule fit's lever over the stretch). */
  readonly scheduleRatePpm: number;
  readonly analysisRatePpm: number;
}

const ratePpm = (fit: LinearFit) => (fit.slope / 1000 - 1) * 1e6;

/**
 * `records`: the tap's flat `[frame, value]` pairs (NaN value: silence); `whenS`: the scheduled
 * context time; `endS`: the context time the checked stretch ends at. Null when the tap heard
 * nothing from `when` on, or the analysis has no fit there.
 */
export function diagnoseChain(
  scheduleFit: LinearFit,
  analysis: readonly FitSegment[],
  records: readonly number[],
  sampleRate: number,
  whenS: number,
  endS: number,
): ChainDiagnosis | null {
  const atStart = segmentAt(analysis, whenS);
  const atEnd = segmentAt(analysis, endS);
  if (!atStart || !atEnd) return null;
  // The source's first frames, not a sound before it (the tap hears only this source).
  const earliest = (whenS - 0.5) * sampleRate;
  let firstFrame: number | null = null;
  for (let i = 0; i + 1 < records.length && firstFrame === null; i += 2) {
    if (records[i]! >= earliest && !Number.isNaN(records[i + 1]!)) firstFrame = records[i]!;
  }
  if (firstFrame === null) return null;
  return {
    startOffsetFrames: firstFrame - whenS * sampleRate,
    fitsApartAtStartMs: evalFit(atStart.fit, whenS) - evalFit(scheduleFit, whenS),
    fitsApartAtEndMs: evalFit(atEnd.fit, endS) - evalFit(scheduleFit, endS),
    scheduleRatePpm: ratePpm(scheduleFit),
    analysisRatePpm: ratePpm(atStart.fit),
  };
}
