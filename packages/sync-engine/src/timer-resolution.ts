/** Steps seen before {@link measureTimerStep} answers: the smallest of a few, as one may be cut short. */
const STEPS = 4;
/** A clock that does not move within this many readings is treated as continuous. */
const MAX_READINGS = 1_000_000;

/**
 * The step a clock reads in (ms): the smallest difference between successive distinct readings of
 * `now`, over {@link STEPS} steps (about 4 ms of spinning for a 1 ms clock). 0 for a clock that
 * never moved within {@link MAX_READINGS} readings, which no real clock does.
 */
export function measureTimerStep(now: () => number): number {
  let smallest = Number.POSITIVE_INFINITY;
  let last = now();
  let steps = 0;
  for (let i = 0; i < MAX_READINGS && steps < STEPS; i++) {
    const reading = now();
    if (reading > last) {
      smallest = Math.min(smallest, reading - last);
      steps++;
    }
    last = reading;
  }
  return Number.isFinite(smallest) ? smallest : 0;
}
