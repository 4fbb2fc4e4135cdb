/**
 * One room-mode run: a fresh room (created by page 0 through the UI, joined by code by the
 * others), every page's sync socket behind its own delay proxy, the host clicking Play on the
 * long timecode track, then the seek bar, then Pause; the rendered output of every page against
 * the server's broadcasts. Optionally with two busy loops, or with audio stalls mid-play.
 */
import { loadavg } from "node:os";
import type { Browser } from "playwright-core";
import { waitForPlayer } from "../../e2e/harness/app.js";
import { summarize, type Summary, type TimelineEvent } from "./analysis.js";
import { startProxyProcess, type ProxyProcess } from "./delay-proxy-process.js";
import { clockSampleReport, type ClockSampleReport } from "./room-clock-samples.js";
import { analyseRoomRun, type PageCapture } from "./room-analysis.js";
import { observeRoom, type ObservedEvent, type RoomObserver } from "./room-observer.js";
import { calibratePage, enginePosition, engineStats, gatherInRoom, leaveRoom, renderedMs, useProxy, type EnginePositionSample, type RoomPage, type RoomStackUrls } from "./room-pages.js";
import { STALLS_MS, stallAudio, startBusyLoops } from "./room-stress.js";
import type { Scenario } from "./scenarios.js";
import { nowMs, sleep } from "./time.js";

export interface RoomBench {
  readonly browser: Browser;
  readonly urls: RoomStackUrls;
  readonly pages: readonly RoomPage[];
  /** Session cookie of the benchmark's own listener account (the observer). */
  readonly observerCookie: string;
  readonly track: { readonly title: string; readonly durationMs: number };
}

export interface RoomRunOptions {
  /** Excluded from the statistics after every page sounds (ms). */
  readonly warmupMs: number;
  /** Play time from the end of the warm-up to the seek (ms). */
  readonly playPhaseMs: number;
  readonly seekPhaseMs: number;
  readonly seekSettleMs: number;
  readonly seed: number;
  /** How long the pages may take to sound after the click (whole-file decode under load), ms. */
  readonly startTimeoutMs: number;
}

/** A row of the room-mode table: a network scenario, alone or under busy CPUs or audio stalls. */
export interface RoomScenario {
  readonly name: string;
  readonly network: Scenario;
  readonly busy: boolean;
  readonly stalls: boolean;
}

/** Where the host's click lands on the seek bar (a fraction of the track). */
const SEEK_FRACTION = 0.6;
const STALL_SPACING_MS = 4_000;

export type RoomRunResult = ReturnType<typeof analyseRoomRun> & {
  readonly stallsMs: readonly number[];
  /** Per page: where its clock estimate's error comes from (`room-clock-samples.ts`). */
  readonly clockSamples: readonly (ClockSampleReport | null)[];
  /** The proxies' process: its nice value and how late it wrote chunks against their plan (ms), all pages. */
  readonly proxyProcess: { readonly nice: number | null; readonly lateMs: Summary };
};

/** The room page's clock step: Chromium's 0.1 ms on a page that is not cross-origin isolated. */
const PAGE_TIMER_QUANTUM_MS = 0.1;

/** The server's broadcasts as the analysis's timeline, in bench time. */
export function timelineOf(events: readonly ObservedEvent[], serverMinusBenchMs: number): TimelineEvent[] {
  return events.filter((e) => e.type !== "PAUSE").map((e) => ({ atMs: e.atServerMs - serverMinusBenchMs, positionMs: e.positionMs }));
}

async function clickSeekBar(bench: RoomBench, fraction: number): Promise<void> {
  const box = await bench.pages[0]!.page.locator('[data-testid="seek-bar"] .track').boundingBox();
  if (!box) throw new Error("the seek bar is not on the host's page");
  await bench.pages[0]!.page.mouse.click(box.x + fraction * box.width, box.y + box.height / 2);
}

/** Readings of each page's engine position before the Pause (their median is its clock-estimate error). */
const CLOCK_SAMPLES = 5;

/** How long every page must have rendered without a silent reading before the statistics start (ms). */
const STEADY_SOUND_MS = 3_000;

/**
 * Resolves once every page has rendered at each poll for {@link STEADY_SOUND_MS}: a streaming
 * start can sound its first chunk and then fall silent while the next one loads.
 */
async function waitAllSounding(pages: readonly RoomPage[], timeoutMs: number): Promise<void> {
  const deadline = nowMs() + timeoutMs;
  let steadySince: number | null = null;
  for (;;) {
    const rendered = await Promise.all(pages.map(renderedMs));
    const now = nowMs();
    steadySince = rendered.every((r) => r !== null) ? (steadySince ?? now) : null;
    if (steadySince !== null && now - steadySince >= STEADY_SOUND_MS) return;
    if (now > deadline) throw new Error(`pages never all sounded steadily within ${timeoutMs} ms: ${rendered.map((r) => (r === null ? "silent" : "playing")).join(", ")}`);
    await sleep(250);
  }
}

/** A progress line (stderr): where a slow run spends its time on a loaded machine. */
export function progress(scenario: string, what: string): void {
  process.stderr.write(`    [${new Date().toISOString().slice(11, 19)}] ${scenario}: ${what}\n`);
}

export async function runRoomScenario(bench: RoomBench, scenario: RoomScenario, options: RoomRunOptions): Promise<RoomRunResult> {
  const loadBefore = loadavg();
  const step = (what: string) => progress(scenario.name, what);
  const { pages, urls } = bench;
  let proxies: ProxyProcess | null = null;
  let observer: RoomObserver | null = null;
  const stopBusy = scenario.busy ? startBusyLoops() : () => undefined;
  try {
    proxies = await startProxyProcess(urls.syncPort, pages.map((_, i) => scenario.network.network(i)), pages.map((_, i) => options.seed * 101 + i));
    const ports = proxies.ports;
    await Promise.all(pages.map((page, i) => useProxy(page, ports[i]!)));
    const roomCode = await gatherInRoom(pages, urls.webUrl, `bench ${scenario.name}`);
    step(`room ${roomCode} created and joined through the UI`);
    for (const page of pages) await waitForPlayer(page.page, `page ${page.index} joined`, (s) => s.connection === "joined" && s.audio === "running", 30_000);
    for (const page of pages) await calibratePage(page);
    observer = await observeRoom(urls.apiUrl, urls.syncPort, roomCode, bench.observerCookie);
    const serverMinusBenchMs = await observer.serverMinusBenchMs();
    const toBench = (serverMs: number) => serverMs - serverMinusBenchMs;

    step("pages joined and calibrated; the host clicks Play");
    await pages[0]!.page.click(`button[aria-label="Play ${bench.track.title}"]`);
    const play = await observer.next("PLAY", 0, 15_000);
    await waitAllSounding(pages, options.startTimeoutMs);
    const allSoundingMs = nowMs();
    step("every page sounds");
    await sleep(options.warmupMs);
    if (scenario.stalls) step(`stalling the audio service ${STALLS_MS.join(", ")} ms`);
    const stalls = scenario.stalls ? await stallAudio(STALLS_MS, STALL_SPACING_MS, nowMs) : [];
    await sleep(Math.max(0, options.playPhaseMs - (nowMs() - allSoundingMs - options.warmupMs)));

    step("the host clicks the seek bar");
    const beforeSeek = observer.events.length;
    await clickSeekBar(bench, SEEK_FRACTION);
    const seek = await observer.next("SEEK", beforeSeek, 10_000);
    await waitAllSounding(pages, options.startTimeoutMs);
    step("every page sounds after the seek");
    await sleep(options.seekPhaseMs);
    // Each page's clock-estimate error, read while the track still plays.
    const enginePositions: EnginePositionSample[][] = pages.map(() => []);
    for (let k = 0; k < CLOCK_SAMPLES; k += 1) {
      for (const [i, page] of pages.entries()) {
        const sample = await enginePosition(page);
        if (sample) enginePositions[i]!.push(sample);
      }
    }
    const beforePause = observer.events.length;
    await pages[0]!.page.click('[data-testid="pause"]');
    const pause = await observer.next("PAUSE", beforePause, 10_000);
    const endMs = Math.min(nowMs(), toBench(pause.atServerMs)) - 100;

    const captures: PageCapture[] = [];
    const records = await proxies.collect();
    const clockSamples: (ClockSampleReport | null)[] = [];
    for (const [i, page] of pages.entries()) {
      const stats = await engineStats(page);
      const tap = await page.page.evaluate(() => window.__benchTap.collect());
      const { rate, exchanges } = await page.page.evaluate(() => window.__benchTap.clockExchanges());
      const proxy = records[i]!;
      captures.push({ ...page, tap, ...stats, enginePositions: enginePositions[i]!, proxyDelaysMs: { up: proxy.up.delaysMs, down: proxy.down.delaysMs } });
      const frame = { rate, realTimeOrigin: tap?.realTimeOrigin ?? 0, benchMinusPageMs: page.benchMinusPageMs, serverMinusBenchMs, proxyMinusBenchMs: proxies.childMinusBenchMs };
      clockSamples.push(tap ? clockSampleReport(exchanges, proxy, frame, PAGE_TIMER_QUANTUM_MS) : null);
    }
    const result = analyseRoomRun({
      scenario: scenario.network,
      name: scenario.name,
      roomCode,
      loadBefore,
      serverMinusBenchMs,
      events: timelineOf(observer.events, serverMinusBenchMs),
      window: {
        playAtMs: toBench(play.atServerMs),
        allSoundingMs,
        warmupMs: options.warmupMs,
        seekAtMs: toBench(seek.atServerMs),
        seekPositionMs: seek.positionMs,
        seekSettleMs: options.seekSettleMs,
        endMs,
      },
      captures,
    });
    const lateMs = summarize(records.flatMap((r) => [...r.up.lateMs, ...r.down.lateMs]));
    return { ...result, stallsMs: stalls.map((s) => s.ms), clockSamples, proxyProcess: { nice: proxies.nice, lateMs } };
  } finally {
    stopBusy();
    observer?.close();
    await Promise.all(pages.map((page) => leaveRoom(page, urls.webUrl)));
    await proxies?.close();
  }
}
