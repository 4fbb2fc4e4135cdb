/**
 * Where a room page's clock estimate goes wrong (issue 17): each clock exchange the page completed
 * (`tap-clock-exchanges.ts`) joined with the delay proxy's record of its ping and pong
 * (`delay-proxy.ts`), every instant put on the bench clock. The bench knows each page's true
 * clock, so each leg's true one-way delay splits into the page's part (ping sent → proxy, proxy →
 * pong event run), the proxy's (its plan and its own lateness) and the server's; the sample's
 * offset error is (true up − true down) / 2. Replaying the exchanges through the engine's own
 * estimator gives its error and the two samples that set its bounds.
 */
import { ClockEstimator, DEFAULT_CLOCK_FILTER, sampleDelay, type ClockSample } from "@sync-beats/sync-engine";
import { summarize, type Summary } from "./analysis.js";
import type { DelayRecord, ExchangeRecord } from "./delay-proxy.js";
import type { PageExchange } from "./tap-clock-exchanges.js";

/** How the page's own clock readings map to the bench clock, and the other processes' offsets. */
export interface ClockFrame {
  /** Page clock rate against real time (local = (real − realTimeOrigin) · rate). */
  readonly rate: number;
  readonly realTimeOrigin: number;
  /** Bench minus the page's real clock (ms, calibrated). */
  readonly benchMinusPageMs: number;
  readonly serverMinusBenchMs: number;
  /** The proxy process's clock minus the bench's (ms). */
  readonly proxyMinusBenchMs: number;
}

/** One exchange's legs, ms; the proxy's parts are null where its record of the frame is missing. */
export interface SampleLegs {
  readonly t0: number;
  readonly upMs: number;
  readonly downMs: number;
  readonly errorMs: number;
  /** Ping sent (t0) → the proxy read it; the proxy's planned hold; its lateness against the plan; proxy write → the server's t1. */
  readonly up: { readonly pageMs: number; readonly plannedMs: number; readonly lateMs: number; readonly serverMs: number } | null;
  /** Server's t2 → the proxy read it; planned hold; lateness; proxy write → the page's message event (t3). */
  readonly down: { readonly serverMs: number; readonly plannedMs: number; readonly lateMs: number; readonly pageMs: number } | null;
}

export interface ClockSampleReport {
  readonly samples: number;
  /** The replayed estimate's offset error at the newest sample (ms, estimate − truth). */
  readonly estimateErrorMs: number | null;
  /** Floors of the true legs and of the scenario's planned holds (what the proxies meant to deliver). */
  readonly floorsMs: { readonly up: number; readonly down: number; readonly plannedUp: number; readonly plannedDown: number };
  /** Per-sample parts of each leg, summarised. */
  readonly parts: Record<"upPage" | "upLate" | "upServer" | "downServer" | "downLate" | "downPage" | "eventQueued", Summary>;
  readonly sampleErrorMs: Summary;
  /** The sample with the tightest up-leg bound and the one with the tightest down-leg bound (skew removed). */
  readonly bindingUp: SampleLegs | null;
  readonly bindingDown: SampleLegs | null;
  /** The raw exchanges, the clock frame and every sample's legs, to replay other filters offline. */
  readonly exchanges: readonly PageExchange[];
  readonly frame: ClockFrame;
  readonly legs: readonly SampleLegs[];
}

/** The true legs of each exchange, matched to the proxy's records by t0. */
export function sampleLegs(exchanges: readonly PageExchange[], proxy: { up: DelayRecord; down: DelayRecord }, frame: ClockFrame): SampleLegs[] {
  const pings = new Map<number, ExchangeRecord>(proxy.up.exchanges.filter((e) => e.type === "time_ping").map((e) => [e.t0, e]));
  const pongs = new Map<number, ExchangeRecord>(proxy.down.exchanges.filter((e) => e.type === "time_pong").map((e) => [e.t0, e]));
  const bench = (local: number) => frame.realTimeOrigin + local / frame.rate + frame.benchMinusPageMs;
  const fromProxy = (ms: number) => ms - frame.proxyMinusBenchMs;
  return exchanges.map((e) => {
    const sentMs = bench(e.t0);
    const receivedMs = bench(e.t3);
    const serverReceivedMs = e.t1 - frame.serverMinusBenchMs;
    const serverSentMs = e.t2 - frame.serverMinusBenchMs;
    const upMs = serverReceivedMs - sentMs;
    const downMs = receivedMs - serverSentMs;
    const ping = pings.get(e.t0);
    const pong = pongs.get(e.t0);
    return {
      t0: e.t0,
      upMs,
      downMs,
      errorMs: (upMs - downMs) / 2,
      up: ping
        ? { pageMs: fromProxy(ping.arrivedMs) - sentMs, plannedMs: ping.plannedMs - ping.arrivedMs, lateMs: ping.writtenMs - ping.plannedMs, serverMs: serverReceivedMs - fromProxy(ping.writtenMs) }
        : null,
      down: pong
        ? { serverMs: fromProxy(pong.arrivedMs) - serverSentMs, plannedMs: pong.plannedMs - pong.arrivedMs, lateMs: pong.writtenMs - pong.plannedMs, pageMs: receivedMs - fromProxy(pong.writtenMs) }
        : null,
    };
  });
}

/** The report for one page, or null without exchanges. `timerQuantumMs`: the page's clock step. */
export function clockSampleReport(exchanges: readonly PageExchange[], proxy: { up: DelayRecord; down: DelayRecord }, frame: ClockFrame, timerQuantumMs: number): ClockSampleReport | null {
  const last = exchanges[exchanges.length - 1];
  if (!last) return null;
  const legs = sampleLegs(exchanges, proxy, frame);
  const estimator = new ClockEstimator(300, false, { ...DEFAULT_CLOCK_FILTER, timerQuantumMs });
  for (const e of exchanges) estimator.add(e satisfies ClockSample);
  const estimate = estimator.estimate();
  const trueOffsetAt = (local: number) => frame.realTimeOrigin + local / frame.rate + frame.benchMinusPageMs + frame.serverMinusBenchMs - local;
  const skew = estimate?.skew ?? 0;
  // The bounds the estimator takes: the least up leg and the least down leg, the rate removed.
  const { offsetSamples, offsetSpanMs } = DEFAULT_CLOCK_FILTER;
  const recent = exchanges
    .map((e, i) => ({ e, legs: legs[i]! }))
    .filter(({ e }, i) => (i >= exchanges.length - offsetSamples || e.t3 >= last.t3 - offsetSpanMs) && sampleDelay(e) >= -2 * timerQuantumMs);
  const byBound = (key: (e: PageExchange) => number) => recent.reduce<(typeof recent)[number] | null>((best, s) => (best === null || key(s.e) < key(best.e) ? s : best), null)?.legs ?? null;
  const parts = (pick: (l: SampleLegs) => number | undefined) => summarize(legs.flatMap((l) => (pick(l) === undefined ? [] : [pick(l)!])));
  return {
    samples: exchanges.length,
    estimateErrorMs: estimate ? estimate.offsetMs + skew * (last.t3 - estimate.refLocalMs) - trueOffsetAt(last.t3) : null,
    floorsMs: {
      up: Math.min(...legs.map((l) => l.upMs)),
      down: Math.min(...legs.map((l) => l.downMs)),
      plannedUp: Math.min(...legs.flatMap((l) => (l.up ? [l.up.plannedMs] : []))),
      plannedDown: Math.min(...legs.flatMap((l) => (l.down ? [l.down.plannedMs] : []))),
    },
    parts: {
      upPage: parts((l) => l.up?.pageMs),
      upLate: parts((l) => l.up?.lateMs),
      upServer: parts((l) => l.up?.serverMs),
      downServer: parts((l) => l.down?.serverMs),
      downLate: parts((l) => l.down?.lateMs),
      downPage: parts((l) => l.down?.pageMs),
      eventQueued: summarize(exchanges.map((e) => e.eventQueuedMs)),
    },
    sampleErrorMs: summarize(legs.map((l) => l.errorMs)),
    bindingUp: byBound((e) => e.t1 - e.t0 - skew * e.t0),
    bindingDown: byBound((e) => -(e.t2 - e.t3 - skew * e.t3)),
    exchanges,
    frame,
    legs,
  };
}
