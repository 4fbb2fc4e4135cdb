/**
 * The measurement chain checked on its own, without the engine: every page schedules the timecode
 * with `AudioBufferSourceNode.start(when)` so it is heard at one bench instant, mapping through
 * its own output-timestamp fit; the tap and the analysis should then agree to well under 1 ms.
 */
import { absErrors, errorSeries, interClientOffsets, renderedTrack, summarize, type RenderedTrack, type Summary } from "./analysis.js";
import { callPage, collectTap, openClient, type ClientPage } from "./browser.js";
import { diagnoseChain, type ChainDiagnosis } from "./chain-diagnosis.js";
import type { BenchBrowser } from "./engines.js";
import type { PageServer } from "./page-server.js";
import { nowMs, sleep } from "./time.js";

export interface TapCheckResult {
  readonly clients: {
    readonly shiftMs: number;
    readonly benchMinusPageMs: number;
    readonly calibrationRttMs: number;
    readonly scheduleFitResidualP99Ms: number;
    /** How late `start(when)` was called (s); 0 unless the page was too slow to schedule ahead. */
    readonly scheduledLateS: number;
    readonly analysisFitResidualP99Ms: number;
    /** Tap records whose frame had not advanced (given back by `renderedTrack`): with no engine, the tap's own artefact. */
    readonly stuckFrames: number;
    readonly errorMs: Summary;
    readonly meanErrorMs: number;
    /** What the error is made of: `start(when)` itself, or the schedule and analysis fits disagreeing. */
    readonly diagnosis: ChainDiagnosis | null;
  }[];
  readonly interClientMs: Summary;
}

/** `browserFor(i)`: the browser client i runs in. */
export async function checkTap(browserFor: (client: number) => BenchBrowser, server: PageServer, shifts: readonly number[], playMs: number): Promise<TapCheckResult> {
  const clients: ClientPage[] = [];
  try {
    for (const [index, shiftMs] of shifts.entries()) clients.push(await openClient(browserFor(index), server, index, shiftMs));
    await Promise.all(clients.map((client) => callPage(client, "prepareDirect")));
    const startMs = nowMs() + 1500;
    const scheduled = await Promise.all(clients.map((client) => callPage(client, "scheduleDirect", startMs, client.benchMinusPageMs)));
    await sleep(startMs + playMs - nowMs());
    const taps = await Promise.all(clients.map(collectTap));
    const tracks = taps.map((tap, i) => {
      const track = tap && renderedTrack(tap, clients[i]!.benchMinusPageMs);
      if (!track) throw new Error(`client ${i}: no tap data`);
      return track;
    });
    const from = startMs + 200;
    const to = startMs + playMs - 200;
    const series = errorSeries(tracks, [{ atMs: startMs, positionMs: 0 }], from, to, 2);
    return {
      clients: clients.map((client, i) => {
        const errors = absErrors(series, i, from, to).values;
        const signed = Array.from(series.errorsMs[i]!).filter((e) => !Number.isNaN(e));
        return {
          shiftMs: client.shiftMs,
          benchMinusPageMs: client.benchMinusPageMs,
          calibrationRttMs: client.calibrationRttMs,
          scheduleFitResidualP99Ms: scheduled[i]!.fit.residualP99,
          scheduledLateS: scheduled[i]!.lateS,
          analysisFitResidualP99Ms: (tracks[i] as RenderedTrack).residualP99Ms,
          stuckFrames: tracks[i]!.stuckFrames ?? 0,
          errorMs: summarize(errors),
          meanErrorMs: signed.reduce((a, b) => a + b, 0) / Math.max(1, signed.length),
          diagnosis: diagnoseChain(scheduled[i]!.fit, tracks[i]!.segments, taps[i]!.records, taps[i]!.sampleRate, scheduled[i]!.when, scheduled[i]!.when + (to - startMs) / 1000),
        };
      }),
      interClientMs: summarize(interClientOffsets(series, from, to).offsetsMs),
    };
  } finally {
    await Promise.all(clients.map((client) => client.page.close().catch(() => undefined)));
  }
}
