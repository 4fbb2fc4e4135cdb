/**
 * One benchmark run: a fresh room, N pages behind their delay proxies, the host (the benchmark)
 * plays the timecode, the pages join one by one while it plays, the host seeks, and the tap data
 * is turned into figures.
 */
import { maxRenderedRateDeviation, renderedGlitches } from "./rendered.js";
import { loadavg } from "node:os";
import type { SyncAlgorithm } from "@sync-beats/sync-engine";
import {
  absErrors,
  convergeTime,
  errorSeries,
  interClientOffsets,
  jumpLatenessMs,
  renderedTrack,
  summarize,
  type ErrorSeries,
  type Summary,
  type TimelineEvent,
} from "./analysis.js";
import { callPage, collectTap, openClient, type ClientPage } from "./browser.js";
import type { BenchEngine } from "./engine-choice.js";
import { engineGroups, type EngineGroup } from "./engine-pairs.js";
import type { BenchBrowser } from "./engines.js";
import { startDelayProxy, type DelayProxy } from "./delay-proxy.js";
import type { EngineReport } from "./page.js";
import type { PageServer } from "./page-server.js";
import { clockShiftMs, type Scenario } from "./scenarios.js";
import { connectHost } from "./sync-server.js";
import { quantile } from "./fit.js";
import { nowMs, sleep } from "./time.js";

export interface RunOptions {
  readonly clients: number;
  /** Play time after the last join, before the seek (ms). */
  readonly joinPhaseMs: number;
  /** Play time after the seek (ms). */
  readonly seekPhaseMs: number;
  /** Excluded from the offset statistics after the last join (ms). */
  readonly warmupMs: number;
  readonly staggerMs: number;
  /** After the seek instant, excluded from the steady-state statistics and reported apart (ms). */
  readonly seekSettleMs: number;
  readonly seed: number;
}

export const CONVERGE_THRESHOLD_MS = 3;
export const CONVERGE_HOLD_MS = 2000;
const GRID_MS = 5;
const SEEK_TO_MS = 30_000;
/** Excluded before the seek instant as well (ms): covers clients that jump early by their clock error. */
const SEEK_GUARD_MS = 50;

export interface ClientResult {
  readonly client: number;
  readonly engine: BenchEngine;
  readonly shiftMs: number;
  readonly network: ReturnType<Scenario["network"]>;
  readonly limitMs: number;
  readonly measuredPageClockOffsetMs: number;
  /** What the analysis applied (0 while the clocks agree; see `ClientPage.benchMinusPageMs`). */
  readonly appliedPageClockOffsetMs: number;
  readonly calibrationRttMs: number;
  readonly fitResidualP99Ms: number | null;
  /** Audio glitches seen as steps in the output timestamps (each starts a new fit segment). */
  readonly audioGlitches: number;
  /** Rendered discontinuities > 1 ms after the warm-up, the room's own seek excused (rendered.ts). */
  readonly renderedGlitches: number;
  /** Largest |rendered rate − 1| over 1 s stretches of continuous sound after the warm-up. */
  readonly maxRateDeviation: number | null;
  readonly stamps: number;
  readonly absErrorMs: Summary;
  /** Median signed error (rendered minus timeline) in the statistics window; negative: behind. */
  readonly medianErrorMs: number;
  readonly silentSamples: number;
  /**
   * The engine's clock estimate minus the truth (median over the window, ms; positive: it
   * believes the server is later, so it plays ahead). `medianErrorMs - clockErrorMs` is what the
   * audio side (speaker mapping, scheduling, drift control) adds.
   */
  readonly clockErrorMs: number | null;
  /** The engine's own drift reading (median over the window, ms): what it believes its error is. */
  readonly engineDriftMs: number | null;
  /** `(min up - min down) / 2` of the delays the proxy applied (ms): the asymmetry the traffic allowed to see. */
  readonly observedAsymmetryMs: number;
  readonly convergeAfterJoinMs: number | null;
  readonly convergeAfterSeekMs: number | null;
  /** When it started rendering the seek target, minus the seek's server instant (ms; + = late). */
  readonly seekJumpMs: number | null;
  readonly hardSeeks: number | null;
  readonly resyncs: number | null;
  readonly engineRttMs: number | null;
  readonly proxyDelayMs: { readonly up: Summary; readonly down: Summary };
  /** The engine's stats every 250 ms: seconds since PLAY, its drift reading, its clock error, rate. */
  readonly engineHistory: readonly { tS: number; driftMs: number | null; clockErrorMs: number | null; rate: number; hardSeeks: number }[];
  readonly engineErrors: readonly string[];
  readonly consoleErrors: readonly string[];
}

export interface RunResult {
  readonly scenario: string;
  readonly algorithm: SyncAlgorithm;
  readonly roomCode: string;
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  readonly serverMinusBenchMs: number;
  readonly interClientMs: Summary;
  readonly interClientMissing: number;
  /** The same over the post-seek window only (`seekAt + seekSettleMs` to the end): steady state. */
  readonly interClientAfterSeekMs: Summary;
  /**
   * Spread of the clients' seek jump instants (max minus min of `seekJumpMs`, ms). Offsets inside
   * the settle window are not used: across a jump, two clients 1 ms apart differ by the whole
   * jump for that 1 ms, which says nothing about sync.
   */
  readonly seekJumpSpreadMs: number | null;
  readonly interClientLimitMs: number;
  /** The same offsets per engine and across engines (a mixed room; `engine-pairs.ts`). */
  readonly engineGroups: readonly EngineGroup[];
  readonly window: { readonly fromMs: number; readonly toMs: number; readonly playAtMs: number; readonly seekAtMs: number; readonly settledMs: number };
  readonly clients: readonly ClientResult[];
  /** Errors every 50 ms for the plot: [client][i], time from the PLAY instant in `plotTimesS`. */
  readonly plotTimesS: number[];
  readonly plotErrorsMs: (number | null)[][];
}

function plotSeries(series: ErrorSeries, playAtMs: number, everyMs: number): { times: number[]; errors: (number | null)[][] } {
  const stride = Math.max(1, Math.round(everyMs / GRID_MS));
  const times: number[] = [];
  const errors: (number | null)[][] = series.errorsMs.map(() => []);
  for (let g = 0; g < series.gridMs.length; g += stride) {
    times.push(Math.round((series.gridMs[g]! - playAtMs) * 10) / 10000);
    series.errorsMs.forEach((e, c) => errors[c]!.push(Number.isNaN(e[g]!) ? null : Math.round(e[g]! * 1000) / 1000));
  }
  return { times, errors };
}

/** `browserFor(i)`: the browser client i runs in (a mixed room: issue 14). */
export async function runScenario(
  browserFor: (client: number) => BenchBrowser,
  pages: PageServer,
  syncPort: number,
  scenario: Scenario,
  algorithm: SyncAlgorithm,
  options: RunOptions,
): Promise<RunResult> {
  const loadBefore = loadavg();
  const roomCode = `B${Math.floor(Math.random() * 36 ** 6).toString(36).toUpperCase().padStart(6, "0")}`;
  const proxies: DelayProxy[] = [];
  const clients: ClientPage[] = [];
  const host = await connectHost(syncPort, roomCode);
  try {
    for (let i = 0; i < options.clients; i += 1) proxies.push(await startDelayProxy(syncPort, scenario.network(i), options.seed * 101 + i));
    clients.push(...(await Promise.all(proxies.map((_, i) => openClient(browserFor(i), pages, i, clockShiftMs(i))))));
    await Promise.all(
      clients.map((client, i) =>
        callPage(client, "setupEngine", { syncUrl: `ws://127.0.0.1:${proxies[i]!.port}`, roomCode, userId: `client${i}`, algorithm }),
      ),
    );
    const play = await host.play("/timecode.wav", pages.trackDurationMs);
    const toBench = (serverMs: number) => serverMs - host.serverMinusBenchMs;
    await sleep(toBench(play.atServerMs) - nowMs() + 300);
    for (const client of clients) {
      await callPage(client, "connect");
      await sleep(options.staggerMs);
    }
    const lastJoinMs = nowMs();
    await sleep(options.joinPhaseMs);
    const seek = await host.seek(SEEK_TO_MS);
    await sleep(toBench(seek.atServerMs) - nowMs() + options.seekPhaseMs);
    const endMs = nowMs() - 100;
    const reports: EngineReport[] = await Promise.all(clients.map((client) => callPage(client, "engineReport")));
    const taps = await Promise.all(clients.map(collectTap));
    await Promise.all(clients.map((client) => callPage(client, "stop").catch(() => undefined)));

    const events: TimelineEvent[] = host.events.map((e) => ({ atMs: toBench(e.atServerMs), positionMs: e.positionMs }));
    const tracks = taps.map((tap, i) => {
      const track = tap && renderedTrack(tap, clients[i]!.benchMinusPageMs);
      if (!track) throw new Error(`client ${i}: no tap data (${clients[i]!.consoleErrors.join("; ")})`);
      return track;
    });
    const playAtMs = toBench(play.atServerMs);
    const seekAtMs = toBench(seek.atServerMs);
    const series = errorSeries(tracks, events, playAtMs, endMs, GRID_MS);
    const fromMs = lastJoinMs + options.warmupMs;
    const settledMs = seekAtMs + options.seekSettleMs;
    // A client that jumps 0.2 ms early is 19 s "off" at a grid instant just before the seek.
    const seekGuardMs = seekAtMs - SEEK_GUARD_MS;
    const beforeSeek = interClientOffsets(series, fromMs, seekGuardMs);
    const afterSeek = interClientOffsets(series, settledMs, endMs);
    const inter = { offsetsMs: [...beforeSeek.offsetsMs, ...afterSeek.offsetsMs], missing: beforeSeek.missing + afterSeek.missing };
    const inWindow = (g: number) => series.gridMs[g]! >= fromMs && (series.gridMs[g]! < seekGuardMs || series.gridMs[g]! >= settledMs);
    const limits = clients.map((_, i) => scenario.limitMs(i));
    const plot = plotSeries(series, playAtMs, 50);
    const clientResults = clients.map((client, i): ClientResult => {
      const report = reports[i]!;
      const before = absErrors(series, i, fromMs, seekGuardMs);
      const after = absErrors(series, i, settledMs, endMs);
      const errors = { values: [...before.values, ...after.values], missing: before.missing + after.missing };
      const signed = Array.from(series.errorsMs[i]!).filter((e, g) => !Number.isNaN(e) && inWindow(g));
      const joinAt = report.connectAtMs === null ? null : report.connectAtMs + client.benchMinusPageMs;
      const threshold = CONVERGE_THRESHOLD_MS + limits[i]!;
      // Local clock = page performance.now(); server = bench + serverMinusBench; bench = page real time + benchMinusPage.
      const trueServerMinusLocal = host.serverMinusBenchMs + taps[i]!.realTimeOrigin + client.benchMinusPageMs;
      const windowHistory = report.history.filter((h) => {
        const at = h.atMs + client.benchMinusPageMs;
        return at >= fromMs && (at < seekGuardMs || at >= settledMs) && at <= endMs;
      });
      const clockErrors = windowHistory.flatMap((h) => (h.serverOffsetMs === null ? [] : [h.serverOffsetMs - trueServerMinusLocal]));
      const drifts = windowHistory.flatMap((h) => (h.driftMs === null ? [] : [h.driftMs]));
      const proxy = proxies[i]!;
      return {
        client: i,
        engine: client.engine,
        shiftMs: client.shiftMs,
        network: scenario.network(i),
        limitMs: limits[i]!,
        measuredPageClockOffsetMs: client.measuredOffsetMs,
        appliedPageClockOffsetMs: client.benchMinusPageMs,
        calibrationRttMs: client.calibrationRttMs,
        fitResidualP99Ms: tracks[i]!.residualP99Ms,
        audioGlitches: tracks[i]!.segments.length - 1,
        renderedGlitches: renderedGlitches(tracks[i]!, events).filter((t) => t >= fromMs && t <= endMs).length,
        maxRateDeviation: maxRenderedRateDeviation(tracks[i]!, fromMs),
        stamps: tracks[i]!.stampCount,
        absErrorMs: summarize(errors.values),
        medianErrorMs: quantile(signed, 0.5),
        silentSamples: errors.missing,
        clockErrorMs: clockErrors.length ? quantile(clockErrors, 0.5) : null,
        engineDriftMs: drifts.length ? quantile(drifts, 0.5) : null,
        observedAsymmetryMs: (Math.min(...proxy.up.delaysMs) - Math.min(...proxy.down.delaysMs)) / 2,
        convergeAfterJoinMs: joinAt === null ? null : convergeTime(series, i, joinAt, seekGuardMs, threshold, CONVERGE_HOLD_MS),
        convergeAfterSeekMs: convergeTime(series, i, seekAtMs, endMs, threshold, CONVERGE_HOLD_MS),
        seekJumpMs: jumpLatenessMs(tracks[i]!, seekAtMs, seek.positionMs, options.seekSettleMs),
        hardSeeks: report.stats?.hardSeeks ?? null,
        resyncs: report.stats?.resyncs ?? null,
        engineRttMs: report.stats?.rttMs ?? null,
        proxyDelayMs: { up: summarize(proxy.up.delaysMs), down: summarize(proxy.down.delaysMs) },
        engineHistory: report.history.map((h) => ({
          tS: Math.round(h.atMs + client.benchMinusPageMs - playAtMs) / 1000,
          driftMs: h.driftMs,
          clockErrorMs: h.serverOffsetMs === null ? null : Math.round((h.serverOffsetMs - trueServerMinusLocal) * 1000) / 1000,
          rate: h.playbackRate,
          hardSeeks: h.hardSeeks,
        })),
        engineErrors: report.errors.slice(0, 10),
        consoleErrors: client.consoleErrors.slice(0, 10),
      };
    });
    return {
      scenario: scenario.name,
      algorithm,
      roomCode,
      loadBefore,
      loadAfter: loadavg(),
      serverMinusBenchMs: host.serverMinusBenchMs,
      interClientMs: summarize(inter.offsetsMs),
      interClientMissing: inter.missing,
      interClientAfterSeekMs: summarize(afterSeek.offsetsMs),
      seekJumpSpreadMs: spread(clientResults.map((c) => c.seekJumpMs)),
      interClientLimitMs: Math.max(...limits) - Math.min(...limits),
      engineGroups: engineGroups(series, clients.map((c) => c.engine), [[fromMs, seekGuardMs], [settledMs, endMs]], [[settledMs, endMs]]),
      window: { fromMs, toMs: endMs, playAtMs, seekAtMs, settledMs },
      clients: clientResults,
      plotTimesS: plot.times,
      plotErrorsMs: plot.errors,
    };
  } finally {
    host.close();
    await Promise.all(clients.map((client) => client.page.close().catch(() => undefined)));
    await Promise.all(proxies.map((proxy) => proxy.close()));
  }
}

/** Max minus min, or null if any is missing. */
function spread(values: readonly (number | null)[]): number | null {
  if (values.some((v) => v === null)) return null;
  const present = values as number[];
  return Math.max(...present) - Math.min(...present);
}

/** p95 of a client's |error| list, for the table. */
export const worstClientP95 = (run: RunResult): number => Math.max(...run.clients.map((c) => c.absErrorMs.p95));
/** Median of a nullable list; null when all are null. */
export function medianOf(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length ? quantile(present, 0.5) : null;
}
