import type { Browser, Page } from "playwright-core";
import type { Browser as FirefoxBrowser, Page as FirefoxPage } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it as vitestIt } from "vitest";
import {
  createRoom,
  isPlaying,
  readPlayer,
  recordConsole,
  renderedGapMs,
  sendRawControl,
  signUp,
  waitForPlayer,
} from "./harness/app.js";
import { enableDebugHook, launchChromium } from "./harness/browser.js";
import { isDisabledInFirefox, joinByCodeInFirefox, scriptedFirefoxPage, signUpInFirefox } from "./harness/firefox-app.js";
import { announceFirefoxSkip, firefoxAvailability, launchFirefox } from "./harness/firefox.js";
import type { ScriptedPage } from "./harness/scripted-page.js";
import { startStack, type Stack } from "./harness/stack.js";

/*
 * The listen-together flow across two engines: A hosts in Chromium (its fake audio device), B
 * listens in Firefox (through PulseAudio's null sink). The steps share the room and build on each
 * other, as in listen-together.e2e.test.ts.
 */

const firefox = firefoxAvailability();
announceFirefoxSkip("mixed engines", firefox);
/** Each page reads its rendered position against one wall clock; Firefox's reads are ~20 ms quantised. */
const SAME_INSTANT_TOLERANCE_MS = 80;
const SETTLE_TIMEOUT_MS = 20_000;
/** A step may wait for several of those, and Firefox launches and loads pages slowly on 2 cores. */
const STEP_TIMEOUT_MS = 150_000;
const suffix = Date.now().toString(36).slice(-5);

let stack: Stack;
let chromium: Browser;
let fox: FirefoxBrowser;
let a: Page;
let b: FirefoxPage;
/** `b` for the engine-neutral helpers. */
let bScripted: ScriptedPage;
let roomCode = "";

let broken = false;
function it(name: string, body: () => Promise<void>): void {
  vitestIt.skipIf(!firefox.available)(name, async (context) => {
    if (broken) context.skip("an earlier step failed");
    context.onTestFailed(() => {
      broken = true;
    });
    await body();
  }, STEP_TIMEOUT_MS);
}

/** Logs how long the step has taken so far, so a slow step shows where its time went. */
function mark(what: string, since: number): void {
  console.log(`[e2e] mixed: ${what} after ${Date.now() - since} ms`);
}

async function expectInSync(label: string, pages: ScriptedPage[] = [a, bScripted]): Promise<void> {
  let gap = Number.POSITIVE_INFINITY;
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  while (Date.now() < deadline && gap > SAME_INSTANT_TOLERANCE_MS) {
    const [first, second] = await Promise.all(pages.map(readPlayer));
    if (first && second) gap = renderedGapMs(first, second);
    if (gap > SAME_INSTANT_TOLERANCE_MS) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(gap, `${label}: Chromium and Firefox render apart (ms)`).toBeLessThanOrEqual(SAME_INSTANT_TOLERANCE_MS);
}

const hostTrack = async () => (await readPlayer(a))!.trackId!;

beforeAll(async () => {
  if (!firefox.available) return;
  stack = await startStack("mixed");
  chromium = await launchChromium();
  const contextA = await chromium.newContext({ viewport: { width: 1200, height: 900 } });
  await enableDebugHook(contextA);
  a = await contextA.newPage();
  a.setDefaultTimeout(10_000);
  recordConsole(a, "mixed-a-chromium");
  fox = await launchFirefox(firefox.pulseServer);
  b = await fox.newPage();
  bScripted = scriptedFirefoxPage(b);
  b.setDefaultTimeout(10_000);
  await b.evaluateOnNewDocument(() => localStorage.setItem("sync-beats:debug-hook", "1"));
});

afterAll(async () => {
  await fox?.close().catch(() => undefined);
  await chromium?.close().catch(() => undefined);
  await stack?.stop();
});

describe("listening together in Chromium and Firefox", () => {
  it("A (Chromium) plays a demo track; B (Firefox) joins by code mid-song and plays in sync", async () => {
    const started = Date.now();
    await signUp(a, stack.webUrl, `chro_${suffix}`, "Chro");
    await signUpInFirefox(b, stack.webUrl, `fox_${suffix}`, "Fox");
    mark("both signed up", started);
    roomCode = await createRoom(a, "Two engines");
    const play = a.locator('[data-testid="room-tracks"] li').filter({ hasText: "demo" }).first();
    await play.locator('[data-testid="play-track"]').click();
    await waitForPlayer(a, "A playing", (s) => s.trackId !== null && isPlaying(s.trackId)(s), SETTLE_TIMEOUT_MS);
    mark("A playing", started);
    const joinStarted = Date.now();
    await joinByCodeInFirefox(b, stack.webUrl, roomCode);
    const trackId = await hostTrack();
    const joined = await waitForPlayer(bScripted, "B playing after join", isPlaying(trackId), SETTLE_TIMEOUT_MS);
    console.log(`[e2e] Firefox playing ${Date.now() - joinStarted} ms after pressing Join (position ${joined.positionMs.toFixed(0)} ms)`);
    expect(joined.isHost).toBe(false);
    expect(joined.positionMs).toBeGreaterThan(0);
    await expectInSync("after join");
  });

  it("B (Firefox, not host) cannot control: controls disabled, a forged PAUSE refused", async () => {
    expect(await isDisabledInFirefox(b, '[data-testid="pause"]')).toBe(true);
    expect(await isDisabledInFirefox(b, '[data-testid="next-track"]')).toBe(true);
    const refusal = await sendRawControl(bScripted, { apiUrl: stack.apiUrl, syncPort: stack.syncPort, roomCode }, { type: "PAUSE" });
    expect(refusal).toEqual({ type: "command_refused", code: "NOT_HOST" });
    expect((await readPlayer(bScripted))?.isPaused).toBe(false);
  });

  it("pause, resume and a seek reach Firefox", async () => {
    await a.click('[data-testid="pause"]');
    await waitForPlayer(bScripted, "B paused", (s) => s.isPaused && s.renderedMs === null, SETTLE_TIMEOUT_MS);
    await a.click('[data-testid="resume"]');
    const trackId = await hostTrack();
    await waitForPlayer(bScripted, "B resumed", isPlaying(trackId), SETTLE_TIMEOUT_MS);
    const bar = a.locator('[data-testid="seek-bar"] .track');
    const box = await bar.boundingBox();
    if (!box) throw new Error("seek bar not visible");
    const before = (await readPlayer(bScripted))!.positionMs;
    await a.mouse.click(box.x + box.width * 0.7, box.y + box.height / 2);
    const durationMs = await a.evaluate(() => window.__syncBeats?.getSnapshot().track?.duration ?? 0);
    await waitForPlayer(
      b,
      "B at the seek target",
      (s) => isPlaying(trackId)(s) && Math.abs(s.positionMs - durationMs * 0.7) < 3_000 && s.positionMs > before,
      SETTLE_TIMEOUT_MS,
    );
    await expectInSync("after seek");
  });

  it("a track change reaches Firefox", async () => {
    const before = await hostTrack();
    await a.click('[data-testid="next-track"]');
    const changed = await waitForPlayer(a, "A on the next track", (s) => s.trackId !== before && isPlaying(s.trackId ?? "")(s), SETTLE_TIMEOUT_MS);
    await waitForPlayer(bScripted, "B on the next track", isPlaying(changed.trackId!), SETTLE_TIMEOUT_MS);
    await expectInSync("after track change");
  });

  it("both engines reconnect and play on when the sync server restarts mid-song", async () => {
    const trackId = await hostTrack();
    await stack.stopSync();
    await waitForPlayer(bScripted, "B notices the outage", (s) => s.connection !== "joined", SETTLE_TIMEOUT_MS);
    await stack.startSync();
    await Promise.all([
      waitForPlayer(a, "A back and playing", isPlaying(trackId), 30_000),
      waitForPlayer(bScripted, "B back and playing", isPlaying(trackId), 30_000),
    ]);
    await expectInSync("after sync server restart");
  });
});
