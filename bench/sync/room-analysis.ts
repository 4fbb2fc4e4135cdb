/**
 * Room mode's figures, from what each page rendered and what the server broadcast: the same
 * `RunResult` the engine mode reports (so `report.ts` and `runs.ts` print both), with the
 * engine-internal fields the room page cannot give left empty. Pure apart from the load reading.
 */
import { loadavg } from "node:os";
import {
  absErrors,
  convergeTime,
  errorSeries,
  interClientOffsets,
  jumpLatenessMs,
  renderedTrack,
  summarize,
  timelineAt,
  type ErrorSeries,
  type RenderedTrack,
  type TimelineEvent,
} from "./analysis.js";
import { quantile } from "./fit.js";
import { maxRenderedRateDeviation, renderedJumps, type RenderedJump } from "./rendered.js";
import { CONVERGE_HOLD_MS, CONVERGE_THRESHOLD_MS, type ClientResult, type RunResult } from "./run-scenario.js";
import type { Scenario } from "./scenarios.js";
import type { TapData } from "./tap-init.js";
import { unwrapTrack } from "./room-timecode.js";

const GRID_MS = 5;
/** Excluded before a jump instant (a page jumping early by its clock error), ms. */
export const JUMP_GUARD_MS = 50;

/** One page's inputs to the analysis. */
export interface PageCapture {
  readonly index: number;
  readonly shiftMs: number;
  readonly skewPpm: number;
  readonly benchMinusPageMs: number;
  readonly measuredOffsetMs: number;
  readonly calibrationRttMs: number;
  readonly tap: TapData | null;
  readonly hardSeeks: number | null;
  readonly resyncs: number | null;
  readonly rttMs: number | null;
  readonly proxyDelaysMs: { readonly up: readonly number[]; readonly down: readonly number[] };
  readonly consoleErrors: readonly string[];
  /** The engine's own position readings near the end of the run (`room-pages.ts` enginePosition). */
  readonly enginePositions: readonly { readonly benchMs: number; readonly positionMs: number }[];
}

/** The run's shape in bench time: PLAY, when every page sounded, the SEEK, the end of the window. */
export interface RoomWindow {
  readonly playAtMs: number;
  readonly allSoundingMs: number;
  readonly warmupMs: number;
  readonly seekAtMs: number;
  readonly seekPositionMs: number;
  readonly seekSettleMs: number;
  readonly endMs: number;
}

/** A page sounds the track once it renders within this of the timeline (ms): not a stray sample. */
const SOUNDING_WITHIN_MS = 1_000;

/** When the page first rendered the track near the timeline, minus the grid's start (ms), or null. */
export function firstSoundMs(series: ErrorSeries, client: number): number | null {
  const errors = series.errorsMs[client]!;
  for (let g = 0; g < errors.length; g += 1) if (Math.abs(errors[g]!) < SOUNDING_WITHIN_MS) return series.gridMs[g]! - series.gridMs[0]!;
  return null;
}

/** The first few jumps per page keep the raw records around them in the JSON (what the jump looks like). */
const JUMP_RECORDS_KEPT = 3;

/** [context ms, position ms, bench ms − the jump's] of the records from 3 before to 5 after `atMs`. */
function recordsAround(track: RenderedTrack, atMs: number): number[][] {
  const i = track.atMs.indexOf(atMs);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  const rows: number[][] = [];
  for (let k = Math.max(0, i - 3); k < Math.min(track.atMs.length, i + 6); k += 1) rows.push([round(track.contextMs?.[k] ?? Number.NaN), round(track.positionMs[k]!), round(track.atMs[k]! - atMs)]);
  return rows;
}

/** Median of the engine's position minus the timeline's at the same instants: its clock-estimate error (ms), or null. */
export function clockEstimateErrorMs(capture: Pick<PageCapture, "enginePositions">, events: readonly TimelineEvent[]): number | null {
  const errors = capture.enginePositions.flatMap((s) => {
    const truth = timelineAt(events, s.benchMs);
    return truth === null ? [] : [s.positionMs - truth];
  });
  return errors.length ? quantile(errors, 0.5) : null;
}

/** Each page's rendered track on bench time, unwrapped to the timeline's laps. */
export function pageTracks(captures: readonly PageCapture[], events: readonly TimelineEvent[]): RenderedTrack[] {
  return captures.map((capture) => {
    const track = capture.tap && renderedTrack(capture.tap, capture.benchMinusPageMs);
    if (!track) throw new Error(`page ${capture.index}: no tap data (${capture.consoleErrors.slice(0, 3).join("; ")})`);
    return unwrapTrack(track, events);
  });
}

export interface RoomRunInput {
  readonly scenario: Scenario;
  /** The row's name (a network scenario, or "busy" / "stalls" on top of one). */
  readonly name: string;
  readonly roomCode: string;
  readonly loadBefore: readonly number[];
  readonly serverMinusBenchMs: number;
  readonly events: readonly TimelineEvent[];
  readonly window: RoomWindow;
  readonly captures: readonly PageCapture[];
}

/** The figures of one room-mode run. */
export function analyseRoomRun(input: RoomRunInput): RunResult & {
  readonly firstSoundMs: readonly (number | null)[];
  readonly contextsPerPage: readonly number[];
  /** Per page: the counted discontinuities, each at seconds since PLAY. */
  readonly jumpsPerPage: readonly (readonly (RenderedJump & { readonly sincePlayS: number })[])[];
  /** Per page: tap records whose frame had not advanced, given back (a tap artefact, not counted as glitches). */
  readonly stuckFramesPerPage: readonly number[];
} {
  const { window: w, events, captures, scenario } = input;
  const tracks = pageTracks(captures, events);
  const series = errorSeries(tracks, events, w.playAtMs, w.endMs, GRID_MS);
  const fromMs = w.allSoundingMs + w.warmupMs;
  const guardMs = w.seekAtMs - JUMP_GUARD_MS;
  const settledMs = w.seekAtMs + w.seekSettleMs;
  const beforeSeek = interClientOffsets(series, fromMs, guardMs);
  const afterSeek = interClientOffsets(series, settledMs, w.endMs);
  const limits = captures.map((_, i) => scenario.limitMs(i));
  const jumpsPerPage = tracks.map((track) =>
    renderedJumps(track, events)
      .filter((j) => j.atMs >= fromMs && j.atMs <= w.endMs)
      .map((j, k) => ({ ...j, sincePlayS: (j.atMs - w.playAtMs) / 1000, ...(k < JUMP_RECORDS_KEPT ? { records: recordsAround(track, j.atMs) } : {}) })),
  );
  const clients = captures.map((capture, i): ClientResult => {
    const before = absErrors(series, i, fromMs, guardMs);
    const after = absErrors(series, i, settledMs, w.endMs);
    const inWindow = (g: number) => series.gridMs[g]! >= fromMs && (series.gridMs[g]! < guardMs || series.gridMs[g]! >= settledMs);
    const signed = Array.from(series.errorsMs[i]!).filter((e, g) => !Number.isNaN(e) && inWindow(g));
    const threshold = CONVERGE_THRESHOLD_MS + limits[i]!;
    const track = tracks[i]!;
    const { up, down } = capture.proxyDelaysMs;
    return {
      client: i,
      engine: "chromium",
      shiftMs: capture.shiftMs,
      network: scenario.network(i),
      limitMs: limits[i]!,
      measuredPageClockOffsetMs: capture.measuredOffsetMs,
      appliedPageClockOffsetMs: capture.benchMinusPageMs,
      calibrationRttMs: capture.calibrationRttMs,
      fitResidualP99Ms: track.residualP99Ms,
      audioGlitches: track.segments.length - 1,
      renderedGlitches: jumpsPerPage[i]!.length,
      maxRateDeviation: maxRenderedRateDeviation(track, fromMs),
      stamps: track.stampCount,
      absErrorMs: summarize([...before.values, ...after.values]),
      medianErrorMs: quantile(signed, 0.5),
      silentSamples: before.missing + after.missing,
      clockErrorMs: clockEstimateErrorMs(capture, events),
      engineDriftMs: null,
      observedAsymmetryMs: up.length && down.length ? (Math.min(...up) - Math.min(...down)) / 2 : 0,
      // The room page joins before PLAY: "join" convergence is from the first sound on.
      convergeAfterJoinMs: convergeTime(series, i, w.playAtMs, guardMs, threshold, CONVERGE_HOLD_MS),
      convergeAfterSeekMs: convergeTime(series, i, w.seekAtMs, w.endMs, threshold, CONVERGE_HOLD_MS),
      seekJumpMs: jumpLatenessMs(track, w.seekAtMs, w.seekPositionMs, w.seekSettleMs),
      hardSeeks: capture.hardSeeks,
      resyncs: capture.resyncs,
      engineRttMs: capture.rttMs,
      proxyDelayMs: { up: summarize(up), down: summarize(down) },
      engineHistory: [],
      engineErrors: [],
      consoleErrors: capture.consoleErrors.slice(0, 10),
    };
  });
  const jumps = clients.map((c) => c.seekJumpMs);
  const present = jumps.filter((j): j is number => j !== null);
  const plotStride = 10;
  const plotTimesS: number[] = [];
  const plotErrorsMs: (number | null)[][] = series.errorsMs.map(() => []);
  for (let g = 0; g < series.gridMs.length; g += plotStride) {
    plotTimesS.push(Math.round(series.gridMs[g]! - w.playAtMs) / 1000);
    series.errorsMs.forEach((e, c) => plotErrorsMs[c]!.push(Number.isNaN(e[g]!) ? null : Math.round(e[g]! * 1000) / 1000));
  }
  return {
    scenario: input.name,
    algorithm: "precise",
    // Room mode runs one engine (it drives the UI through Playwright): no per-engine rows.
    engineGroups: [],
    roomCode: input.roomCode,
    loadBefore: input.loadBefore,
    loadAfter: loadavg(),
    serverMinusBenchMs: input.serverMinusBenchMs,
    interClientMs: summarize([...beforeSeek.offsetsMs, ...afterSeek.offsetsMs]),
    interClientMissing: beforeSeek.missing + afterSeek.missing,
    interClientAfterSeekMs: summarize(afterSeek.offsetsMs),
    seekJumpSpreadMs: present.length === jumps.length && present.length > 0 ? Math.max(...present) - Math.min(...present) : null,
    interClientLimitMs: Math.max(...limits) - Math.min(...limits),
    window: { fromMs, toMs: w.endMs, playAtMs: w.playAtMs, seekAtMs: w.seekAtMs, settledMs },
    clients,
    plotTimesS,
    plotErrorsMs,
    firstSoundMs: tracks.map((_, c) => firstSoundMs(series, c)),
    contextsPerPage: captures.map((c) => c.tap?.contexts ?? 0),
    jumpsPerPage,
    stuckFramesPerPage: tracks.map((t) => t.stuckFrames ?? 0),
  };
}
