/**
 * The ground truth of a run (pure): when each page's sweep actually reached the microphone, from
 * what the page rendered (its tap, through its speaker-time map) plus its hidden path's delay —
 * independent of the calibration's own detector.
 */
import { quantile } from "../sync/fit.js";
import type { AcousticPath, FrameClock } from "./microphone-mix.js";
import type { RenderedSamples } from "./rendered-samples.js";

/** One slot of a run, as the schedule names it. */
export interface PlannedSlot {
  readonly key: string;
  readonly atServerMs: number;
}

export interface HeardPage {
  readonly samples: RenderedSamples;
  readonly clock: FrameClock;
  readonly path: AcousticPath;
}

/**
 * How late after its slot's instant each page's sweep reached the microphone (ms, repeats
 * averaged), for pages whose every slot rendered a sweep within `searchMs` of its instant.
 * Server instants are wall-clock instants here: the servers and the pages share one machine.
 */
export function heardLateness(slots: readonly PlannedSlot[], pages: ReadonlyMap<string, HeardPage>, searchMs = 1000): Map<string, number> {
  const byKey = new Map<string, number[] | null>();
  for (const slot of slots) {
    const page = pages.get(slot.key);
    if (!page || page.path.gain === 0) continue;
    const onset = page.samples.onsets(page.clock.toFrame(slot.atServerMs - searchMs), page.clock.toFrame(slot.atServerMs + searchMs))[0];
    const values = byKey.get(slot.key) ?? [];
    if (onset === undefined || byKey.get(slot.key) === null) {
      byKey.set(slot.key, null);
      continue;
    }
    values.push(page.clock.toWallMs(onset) + page.path.delayMs - slot.atServerMs);
    byKey.set(slot.key, values);
  }
  const lateness = new Map<string, number>();
  for (const [key, values] of byKey) if (values) lateness.set(key, values.reduce((a, b) => a + b, 0) / values.length);
  return lateness;
}

/** Each page's misalignment at the microphone: its lateness minus the pages' median lateness. */
export function residuals(lateness: ReadonlyMap<string, number>): Map<string, number> {
  const centre = quantile([...lateness.values()], 0.5);
  return new Map([...lateness].map(([key, value]) => [key, value - centre]));
}

/** The 95th percentile of the residuals' magnitudes, ms. */
export function p95Residual(residualsMs: Iterable<number>): number {
  return quantile([...residualsMs].map(Math.abs), 0.95);
}
