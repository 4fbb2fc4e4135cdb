/**
 * Room mode's pages: one browser context per listener, each with the tap (wall clock shifted,
 * page clock skewed), the room page's debug hook, and its sync socket sent to its own delay
 * proxy; signed up, the room created and joined through the UI, as people do.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createRoom, joinByCode, signUp } from "../../e2e/harness/app.js";
import { enableDebugHook } from "../../e2e/harness/browser.js";
import { appliedPageOffsetMs, offsetFromCalibration, type ClientPage } from "./browser.js";
import type { InitScriptFor } from "./browser-bundle.js";
import { nowMs } from "./time.js";

/** Where the init script looks for the page's proxy URL (`ws://127.0.0.1:<port>`). */
const PROXY_KEY = "bench:sync-proxy";

/** A bench client (clock shift, calibration, console errors) whose page is the real room page. */
export interface RoomPage extends ClientPage {
  readonly skewPpm: number;
  readonly context: BrowserContext;
  /** Room mode drives the UI, so it keeps Playwright's own page (Chromium only). */
  readonly page: Page;
}

export interface RoomStackUrls {
  readonly webUrl: string;
  readonly apiUrl: string;
  readonly syncPort: number;
}

/** Page clock skews (ppm): tens of ppm fast or slow, never zero. */
export function clockSkewPpm(index: number): number {
  const preset = [40, -60, 25, -35, 80, -20, 55, -75];
  return preset[index % preset.length]!;
}

/** Opens page `index` and signs it up through the UI (account `<prefix>-<index>`). */
export async function openRoomPage(browser: Browser, initScriptFor: InitScriptFor, urls: RoomStackUrls, index: number, shiftMs: number, prefix: string): Promise<RoomPage> {
  const skewPpm = clockSkewPpm(index);
  // bypassCSP: the room page's CSP refuses the tap's blob: worklet module and the proxy ports.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1100, height: 900 } });
  await enableDebugHook(context);
  await context.addInitScript({ content: initScriptFor(shiftMs, { skewPpm, syncRewrite: { port: urls.syncPort, storageKey: PROXY_KEY } }) });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if ((message.type() === "error" || message.type() === "warning") && consoleErrors.length < 50) consoleErrors.push(message.text().slice(0, 300));
  });
  page.on("pageerror", (error) => consoleErrors.length < 50 && consoleErrors.push(String(error).slice(0, 300)));
  await signUp(page, urls.webUrl, `${prefix}_${index}`, `Listener ${index}`);
  return { index, shiftMs, engine: "chromium", skewPpm, context, page, benchMinusPageMs: 0, measuredOffsetMs: 0, calibrationRttMs: 0, consoleErrors };
}

/** Points the page's next sync sockets at `proxyPort` (read by the init script at each connect). */
export async function useProxy(page: RoomPage, proxyPort: number): Promise<void> {
  await page.page.evaluate(([key, url]) => localStorage.setItem(key, url), [PROXY_KEY, `ws://127.0.0.1:${proxyPort}`] as const);
}

/** The owner (page 0) creates a room on its dashboard; the others join it by code. Returns the code. */
export async function gatherInRoom(pages: readonly RoomPage[], webUrl: string, name: string): Promise<string> {
  const [owner, ...others] = pages;
  await owner!.page.goto(`${webUrl}/dashboard`);
  const code = await createRoom(owner!.page, name);
  for (const page of others) {
    await page.page.goto(`${webUrl}/dashboard`);
    await joinByCode(page.page, webUrl, code);
  }
  return code;
}

/** Leaves the room page (its AudioContext closes with it). */
export async function leaveRoom(page: RoomPage, webUrl: string): Promise<void> {
  await page.page.goto(`${webUrl}/dashboard`).catch(() => undefined);
}

/**
 * Measures the page's real clock against the bench clock: 30 `evaluate` round trips, offset
 * from the quickest eighth (as bench pages do over their calibration socket).
 */
export async function calibratePage(page: RoomPage): Promise<void> {
  const samples = [];
  let failures = 0;
  for (let i = 0; i < 30; i += 1) {
    const sentMs = nowMs();
    // A round trip that lands on a navigation (the room page replacing its URL) is just retried.
    const pageMs = await page.page.evaluate(() => window.__benchTap.realNow()).catch((error: unknown) => {
      if (++failures > 5) throw error;
      return null;
    });
    if (pageMs === null) {
      await page.page.waitForLoadState("load");
      i -= 1;
      continue;
    }
    samples.push({ sentMs, receivedMs: nowMs(), benchMs: pageMs });
  }
  // offsetFromCalibration gives "middle sample minus the round trip's midpoint": here page minus bench.
  const { offsetMs, rttMs } = offsetFromCalibration(samples);
  page.measuredOffsetMs = -offsetMs;
  page.calibrationRttMs = rttMs;
  page.benchMinusPageMs = appliedPageOffsetMs(-offsetMs, rttMs);
}

/** What the debug hook says the page renders now (ms, null while silent); null without the hook. */
export async function renderedMs(page: RoomPage): Promise<number | null> {
  return page.page.evaluate(() => window.__syncBeats?.renderedPositionMs() ?? null).catch(() => null);
}

/** The engine's counters the table uses, from the debug hook. */
export async function engineStats(page: RoomPage): Promise<{ hardSeeks: number | null; resyncs: number | null; rttMs: number | null }> {
  return page.page
    .evaluate(() => {
      const stats = window.__syncBeats?.getSnapshot().stats;
      return { hardSeeks: stats?.hardSeeks ?? null, resyncs: stats?.resyncs ?? null, rttMs: stats?.rttMs ?? null };
    })
    .catch(() => ({ hardSeeks: null, resyncs: null, rttMs: null }));
}

/** What the engine believes the position is, at one bench instant (its clock estimate applied to the timeline). */
export interface EnginePositionSample {
  readonly benchMs: number;
  readonly positionMs: number;
}

/**
 * The debug hook's timeline position (the engine's server-time estimate applied to the timeline),
 * with the page's real clock read in the same task; null without the hook. Against the true
 * timeline at that bench instant it is the page's clock-estimate error, apart from the audio side.
 */
export async function enginePosition(page: RoomPage): Promise<EnginePositionSample | null> {
  const sample = await page.page.evaluate(() => (window.__syncBeats ? { realMs: window.__benchTap.realNow(), positionMs: window.__syncBeats.getPositionMs() } : null)).catch(() => null);
  return sample && { benchMs: sample.realMs + page.benchMinusPageMs, positionMs: sample.positionMs };
}
