import type { Browser as ChromiumBrowser, Page } from "playwright-core";
import type { Browser as FirefoxBrowser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRoom, isPlaying, readPlayer, recordConsole, signUp, waitForPlayer } from "./harness/app.js";
import { enableDebugHook, launchChromium } from "./harness/browser.js";
import { signUpInFirefox } from "./harness/firefox-app.js";
import { announceFirefoxSkip, firefoxAvailability, launchFirefox } from "./harness/firefox.js";
import { readIsolation } from "./harness/isolation.js";
import { startStack, type Stack } from "./harness/stack.js";
import { sineWav } from "./harness/wav.js";

/*
 * Every page of the app is served cross-origin isolated (COOP same-origin + COEP require-corp), so
 * that the sync engine's clock samples carry fine timers. Isolation fails closed: a subresource
 * without CORS or CORP is blocked, so each page that loads something (the dashboards, the library's
 * upload, the room's audio) must still work.
 */

const firefox = firefoxAvailability();
announceFirefoxSkip("cross-origin isolation", firefox);
const suffix = Date.now().toString(36).slice(-5);

let stack: Stack;
let chromium: ChromiumBrowser;
let page: Page;
let roomCode = "";
let demoTrackId = "";
/**
 * Requests the browser refused (a COEP block is `net::ERR_BLOCKED_BY_RESPONSE…`), as `url: reason`.
 * Aborted ones are not: Next cancels prefetches when the page navigates on.
 */
const failedRequests: string[] = [];

beforeAll(async () => {
  stack = await startStack("isolation");
  chromium = await launchChromium();
  const context = await chromium.newContext();
  await enableDebugHook(context);
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  recordConsole(page, "isolation-chromium");
  page.on("requestfailed", (request) => {
    const reason = request.failure()?.errorText ?? "";
    if (reason !== "net::ERR_ABORTED") failedRequests.push(`${request.url()}: ${reason}`);
  });
});

afterAll(async () => {
  await chromium?.close().catch(() => undefined);
  await stack?.stop();
});

describe("cross-origin isolation", () => {
  it("[COI1] Chromium: sign-up, dashboard, library upload and the room are isolated and work", async () => {
    await page.goto(`${stack.webUrl}/signup`);
    expect((await readIsolation(page)).isolated, "/signup").toBe(true);
    await signUp(page, stack.webUrl, `iso_${suffix}`, "Iso");
    expect((await readIsolation(page)).isolated, "/dashboard").toBe(true);

    await page.goto(`${stack.webUrl}/dashboard/library`);
    await page.setInputFiles('[data-testid="upload-input"]', {
      name: "isolated.wav",
      mimeType: "audio/wav",
      buffer: sineWav({ seconds: 5, frequency: 330 }),
    });
    await page.locator('[data-testid="upload-done"]').waitFor({ timeout: 20_000 });
    expect((await readIsolation(page)).isolated, "/dashboard/library").toBe(true);

    await page.goto(`${stack.webUrl}/dashboard`);
    roomCode = await createRoom(page, "Isolated");
    const play = page.locator('[data-testid="room-tracks"] li').filter({ hasText: "demo" }).first();
    demoTrackId = (await play.getAttribute("data-track-id")) ?? "";
    await play.locator('[data-testid="play-track"]').click();
    // Playing means the audio download (a cross-origin fetch to the API) passed COEP.
    await waitForPlayer(page, "Chromium playing", isPlaying(demoTrackId), 15_000);
    await page.reload();
    const room = await readIsolation(page);
    expect(room.isolated, "room page").toBe(true);
    // Isolated Chromium ticks in 5 µs (100 µs on a plain page).
    expect(room.timerStepMs).toBeLessThan(0.05);
    await waitForPlayer(page, "Chromium playing after reload", isPlaying(demoTrackId), 15_000);
    expect(failedRequests).toEqual([]);
  });

  it.skipIf(!firefox.available)("[COI2] Firefox: the room page is isolated, ticks finer than 1 ms and plays", async () => {
    if (!firefox.available) return;
    let browser: FirefoxBrowser | undefined;
    try {
      browser = await launchFirefox(firefox.pulseServer);
      const guest = await browser.newPage();
      await guest.evaluateOnNewDocument(() => localStorage.setItem("sync-beats:debug-hook", "1"));
      await signUpInFirefox(guest, stack.webUrl, `isofx_${suffix}`, "Iso Fox");
      await guest.goto(`${stack.webUrl}/dashboard/room/${roomCode}`);
      const room = await readIsolation(guest);
      expect(room.isolated).toBe(true);
      // Isolated Firefox ticks in 20 µs (1 ms on a plain page).
      expect(room.timerStepMs).toBeLessThan(0.1);
      // The host's page may have moved the room on to the next demo track meanwhile.
      const { trackId } = (await readPlayer(page))!;
      await waitForPlayer(guest, "Firefox playing", isPlaying(trackId!), 20_000);
    } finally {
      await browser?.close().catch(() => undefined);
    }
  });
});
