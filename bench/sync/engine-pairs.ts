/**
 * Inter-client offsets of a mixed room split by engine (issue 14): the pairs within each engine,
 * and the pairs across two engines. Pure, on the analysis' error series.
 */
import { summarize, type ErrorSeries, type Summary } from "./analysis.js";
import { quantile } from "./fit.js";
import type { BenchEngine } from "./engine-choice.js";

/** A half-open window [fromMs, toMs) of bench instants. */
export type Window = readonly [fromMs: number, toMs: number];

export interface EngineGroup {
  /** "chromium" (its pairs) or "chromium-firefox" (pairs with one client in each). */
  readonly label: string;
  readonly engines: readonly BenchEngine[];
  readonly clients: readonly number[];
  /**
   * Per grid instant where every client of the group renders: the largest offset between two of
   * its pairs' clients (within one engine: max minus min; across: max over pairs of |a − b|).
   */
  readonly interClientMs: Summary;
  readonly afterSeekMs: Summary;
  /**
   * Median over the instants of the group's mean error vs the timeline (one engine), or of the
   * second engine's mean error minus the first's (across): a lead or lag common to an engine.
   */
  readonly medianOffsetMs: number | null;
}

interface GroupSpec {
  readonly label: string;
  readonly engines: readonly BenchEngine[];
  readonly sides: readonly (readonly number[])[];
}

function groupSpecs(engines: readonly BenchEngine[]): GroupSpec[] {
  const present = [...new Set(engines)];
  const members = (engine: BenchEngine) => engines.flatMap((e, i) => (e === engine ? [i] : []));
  const specs: GroupSpec[] = present.filter((e) => members(e).length >= 2).map((e) => ({ label: e, engines: [e], sides: [members(e)] }));
  for (let a = 0; a < present.length; a += 1) {
    for (let b = a + 1; b < present.length; b += 1) {
      specs.push({ label: `${present[a]}-${present[b]}`, engines: [present[a]!, present[b]!], sides: [members(present[a]!), members(present[b]!)] });
    }
  }
  return specs;
}

/** min, max and mean of the errors of `clients` at grid index g; null if one renders nothing. */
function stats(series: ErrorSeries, clients: readonly number[], g: number): { min: number; max: number; mean: number } | null {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (const c of clients) {
    const e = series.errorsMs[c]![g]!;
    if (Number.isNaN(e)) return null;
    min = Math.min(min, e);
    max = Math.max(max, e);
    sum += e;
  }
  return { min, max, mean: sum / clients.length };
}

function collect(series: ErrorSeries, spec: GroupSpec, windows: readonly Window[]): { offsets: number[]; means: number[] } {
  const offsets: number[] = [];
  const means: number[] = [];
  for (let g = 0; g < series.gridMs.length; g += 1) {
    const t = series.gridMs[g]!;
    if (!windows.some(([from, to]) => t >= from && t < to)) continue;
    const sides = spec.sides.map((clients) => stats(series, clients, g));
    if (sides.some((side) => side === null)) continue;
    const [first, second] = sides as { min: number; max: number; mean: number }[];
    if (!second) {
      offsets.push(first!.max - first!.min);
      means.push(first!.mean);
    } else {
      offsets.push(Math.max(first!.max - second.min, second.max - first!.min));
      means.push(second.mean - first!.mean);
    }
  }
  return { offsets, means };
}

/**
 * The groups of a room whose client i runs in `engines[i]`: one per engine with two clients or
 * more, one per pair of engines. `windows`: the statistics window; `afterSeek`: its steady part.
 */
export function engineGroups(series: ErrorSeries, engines: readonly BenchEngine[], windows: readonly Window[], afterSeek: readonly Window[]): EngineGroup[] {
  return groupSpecs(engines).map((spec) => {
    const all = collect(series, spec, windows);
    return {
      label: spec.label,
      engines: spec.engines,
      clients: spec.sides.flat(),
      interClientMs: summarize(all.offsets),
      afterSeekMs: summarize(collect(series, spec, afterSeek).offsets),
      medianOffsetMs: all.means.length ? quantile(all.means, 0.5) : null,
    };
  });
}
