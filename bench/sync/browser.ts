/**
 * Headless Chromium for the benchmark, and the benchmark's clients: one browser context per client
 * (its own clock shift and init script) in whichever engine it runs (`engines.ts`).
 */
import { chromium, type Browser } from "playwright-core";
import type { BenchEngine } from "./engine-choice.js";
import type { BenchBrowser, EnginePage } from "./engines.js";
import type { BenchPageApi, CalibrationSample } from "./page.js";
import type { TapData } from "./tap-init.js";
import type { PageServer } from "./page-server.js";
import { quantile } from "./fit.js";
import { callInPage } from "./page-call.js";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--autoplay-policy=no-user-gesture-required",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
];

/**
 * The benchmark measures Chromium on its steady fake audio device: once a PulseAudio server runs
 * (Firefox needs one), Chromium would play through it and its output timestamps wander by 10 ms
 * and more (shared/notes/firefox-and-timer-resolution.md). So it is pointed at no server.
 */
const NO_PULSE_SERVER = "unix:/nonexistent/pulse/native";

/**
 * `throughPulse`: the robustness scenario (issue 14) — Chromium plays through the running
 * PulseAudio server on purpose, as on a Linux desktop (`bench:sync --chromium-pulse`).
 */
export async function launchBrowser(executablePath: string, throughPulse = false): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    env: throughPulse ? { ...process.env } : { ...process.env, PULSE_SERVER: NO_PULSE_SERVER },
    args: CHROMIUM_ARGS,
    // Playwright mutes audio by default; rendering runs either way (see the timing note), but the
    // benchmark measures the unmuted path a listener hears.
    ignoreDefaultArgs: ["--mute-audio"],
  });
}

/** One benchmark client: its page, its clock shift and the measured page-to-bench clock offset. */
export interface ClientPage {
  readonly index: number;
  readonly shiftMs: number;
  readonly engine: BenchEngine;
  /** The client's page, alone in its browser context (closing it closes the context). */
  readonly page: EnginePage;
  /**
   * Bench clock minus the page's real (unshifted) clock as the analysis uses it. Pages and Node
   * anchor `timeOrigin` to the wall clock when their process starts and run on the monotonic clock
   * after that, so they agree unless the wall clock moved in between (seen here: a VM clock slewing
   * by ~1 s within minutes). So: 0 while the measured offset is within the calibration's own
   * uncertainty, else the measured offset (then good to about half the best round trip).
   */
  benchMinusPageMs: number;
  measuredOffsetMs: number;
  calibrationRttMs: number;
  readonly consoleErrors: string[];
}

/** NaN survives the trip as "NaN" (JSON has no NaN: silence in the tap records is NaN). */
const fromJson = <T>(text: string | undefined): T =>
  (text === undefined ? undefined : JSON.parse(text, (_, value: unknown) => (value === "NaN" ? Number.NaN : value))) as T;

/** No page call takes longer than this (ms): the slowest, `prepareDirect`, decodes and waits for 2 s of stamps. */
const CALL_TIMEOUT_MS = 120_000;

const callOptions = (client: ClientPage) => ({
  timeoutMs: CALL_TIMEOUT_MS,
  label: `client ${client.index} (${client.engine})`,
  onRetry: (line: string) => console.log(`  ${line}`),
});

/**
 * Calls `window.bench[name](...args)` in the page (`page-call.ts`: no evaluate waits on the work,
 * a lost answer is asked for again). The answer travels as one JSON string: over WebDriver BiDi
 * every number of a returned array is a remote value of its own, and a minute of tap records or
 * engine history (tens of thousands of numbers) timed out at load 40.
 */
export async function callPage<K extends keyof BenchPageApi>(
  client: ClientPage,
  name: K,
  ...args: Parameters<BenchPageApi[K]>
): Promise<Awaited<ReturnType<BenchPageApi[K]>>> {
  return fromJson<Awaited<ReturnType<BenchPageApi[K]>>>(await callInPage(client.page, "bench", name, args, callOptions(client)));
}

/** What the client's tap recorded, as one JSON string like {@link callPage}. */
export async function collectTap(client: ClientPage): Promise<TapData | null> {
  return fromJson<TapData | null>(await callInPage(client.page, "__benchTap", "collect", [], callOptions(client)));
}

/** The clock offset from the round trips with the smallest RTT (loopback; best few averaged). */
export function offsetFromCalibration(samples: readonly CalibrationSample[]): { offsetMs: number; rttMs: number } {
  const sorted = [...samples].sort((a, b) => a.receivedMs - a.sentMs - (b.receivedMs - b.sentMs));
  const best = sorted.slice(0, Math.max(1, Math.ceil(sorted.length / 8)));
  const offsets = best.map((s) => s.benchMs - (s.sentMs + s.receivedMs) / 2);
  const first = sorted[0]!;
  return { offsetMs: quantile(offsets, 0.5), rttMs: first.receivedMs - first.sentMs };
}

export async function openClient(browser: BenchBrowser, server: PageServer, index: number, shiftMs: number): Promise<ClientPage> {
  const consoleErrors: string[] = [];
  const log = (line: string) => void (consoleErrors.length < 50 && consoleErrors.push(line.slice(0, 300)));
  const page = await browser.openPage(server.url, server.initScriptFor(shiftMs), log);
  const client: ClientPage = { index, shiftMs, engine: browser.engine, page, benchMinusPageMs: 0, measuredOffsetMs: 0, calibrationRttMs: 0, consoleErrors };
  await recalibrate(client);
  return client;
}

/** Below this (ms), or half the best round trip if larger, a measured page offset is noise. */
const CLOCKS_AGREE_MS = 1;

/** The bench-minus-page offset the analysis applies: 0 while the measured one is within the calibration's noise. */
export function appliedPageOffsetMs(measuredOffsetMs: number, rttMs: number): number {
  return Math.abs(measuredOffsetMs) <= Math.max(CLOCKS_AGREE_MS, rttMs / 2) ? 0 : measuredOffsetMs;
}

/** Measures the page's real clock against the bench clock (60 WebSocket round trips). */
export async function recalibrate(client: ClientPage): Promise<void> {
  const samples = await callPage(client, "calibrate", 60);
  const { offsetMs, rttMs } = offsetFromCalibration(samples);
  client.measuredOffsetMs = offsetMs;
  client.calibrationRttMs = rttMs;
  client.benchMinusPageMs = appliedPageOffsetMs(offsetMs, rttMs);
}

/** Renders `svg` (width x height) to a PNG file in a fresh page. */
export async function svgToPng(browser: Browser, svg: string, width: number, height: number, path: string): Promise<void> {
  const context = await browser.newContext({ viewport: { width, height } });
  try {
    const page = await context.newPage();
    await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
    await page.screenshot({ path, clip: { x: 0, y: 0, width, height } });
  } finally {
    await context.close();
  }
}
