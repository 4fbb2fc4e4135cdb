import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRoom, isPlaying, joinByCode, readPlayer, recordConsole, signUp, waitForPlayer, type PlayerState } from "./harness/app.js";
import { expectNoAxeViolations } from "./harness/axe.js";
import { enableDebugHook, launchChromium } from "./harness/browser.js";
import { startStack, type Stack } from "./harness/stack.js";

/*
 * Issue 18 part 5: axe-core's WCAG 2 A/AA rules find nothing on any page, signed out and in, as the
 * room's owner (its host) and as a listener, before and after the state changes (a track playing,
 * the debug panel open); and the room's controls work from the keyboard alone, with a visible focus.
 */

const SETTLE_TIMEOUT_MS = 15_000;

let stack: Stack;
let browser: Browser;
let owner: Page;
let listener: Page;
let roomCode = "";
let trackId = "";

const playingAny = (s: PlayerState) => s.trackId !== null && isPlaying(s.trackId)(s);

const suffix = Date.now().toString(36).slice(-5);

async function newPage(label: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  await enableDebugHook(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  recordConsole(page, `accessibility-${label}`);
  return page;
}

/** The room page once its engine joined and the library list is drawn. */
async function roomReady(page: Page): Promise<void> {
  await waitForPlayer(page, "joined", (s) => s.connection === "joined", SETTLE_TIMEOUT_MS);
  await page.locator('[data-testid="room-tracks"]').waitFor();
}

beforeAll(async () => {
  stack = await startStack("accessibility");
  browser = await launchChromium();
  [owner, listener] = await Promise.all([newPage("owner"), newPage("listener")]);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

describe("axe-core finds no WCAG 2 A/AA violation (issue 18 part 5)", () => {
  it("[AX1] signed out: home, log in, sign up", async () => {
    await owner.goto(`${stack.webUrl}/`);
    await owner.locator("main h1").waitFor();
    await expectNoAxeViolations(owner, "home, signed out");
    await owner.goto(`${stack.webUrl}/login`);
    await owner.locator('[data-testid="auth-submit"]').waitFor();
    await expectNoAxeViolations(owner, "log in");
    await owner.goto(`${stack.webUrl}/signup`);
    await owner.locator('[data-testid="auth-submit"]').waitFor();
    await expectNoAxeViolations(owner, "sign up");
  });

  it("[AX1] a form error shown on sign-up", async () => {
    await owner.click('[data-testid="auth-submit"]');
    await owner.locator('[role="alert"]').first().waitFor();
    await expectNoAxeViolations(owner, "sign up with an error");
  });

  it("[AX1] signed in: dashboard, library, and the room page as its owner before anything plays", async () => {
    await signUp(owner, stack.webUrl, `owner_${suffix}`, "Ola");
    await owner.locator('[data-testid="my-rooms"], .empty').first().waitFor();
    await expectNoAxeViolations(owner, "dashboard");
    await owner.goto(`${stack.webUrl}/dashboard/library`);
    await owner.locator('[data-testid="track-list"]').waitFor();
    await expectNoAxeViolations(owner, "library");
    await owner.goto(`${stack.webUrl}/dashboard`);
    roomCode = await createRoom(owner, "Accessible room");
    await roomReady(owner);
    await expectNoAxeViolations(owner, "room, owner, nothing playing");
  });

  it("[AX1] the room page as owner while a track plays, then with the debug panel open", async () => {
    const first = owner.locator('[data-testid="room-tracks"] li').first();
    trackId = (await first.getAttribute("data-track-id")) ?? "";
    await first.locator('[data-testid="play-track"]').click();
    await waitForPlayer(owner, "owner playing", isPlaying(trackId), SETTLE_TIMEOUT_MS);
    await expectNoAxeViolations(owner, "room, owner, playing");
    await owner.click('[data-testid="debug-toggle"]');
    await owner.locator('[data-testid="debug-panel"]').waitFor();
    await expectNoAxeViolations(owner, "room, owner, playing, debug panel open");
    await owner.click('[data-testid="debug-toggle"]');
  });

  it("[AX1] the dashboard listing a room, and the room page as a listener (controls disabled), playing and with debug open", async () => {
    await signUp(listener, stack.webUrl, `listener_${suffix}`, "Lis");
    await joinByCode(listener, stack.webUrl, roomCode);
    await roomReady(listener);
    await waitForPlayer(listener, "listener playing", playingAny, SETTLE_TIMEOUT_MS);
    expect((await readPlayer(listener))?.canControl).toBe(false);
    await expectNoAxeViolations(listener, "room, listener, playing");
    await listener.click('[data-testid="debug-toggle"]');
    await listener.locator('[data-testid="debug-panel"]').waitFor();
    await expectNoAxeViolations(listener, "room, listener, debug panel open");
    await owner.goto(`${stack.webUrl}/dashboard`);
    await owner.locator('[data-testid="my-rooms"] li').first().waitFor();
    await expectNoAxeViolations(owner, "dashboard with a room");
  });

  it("[AX1] a room code that does not exist", async () => {
    await listener.goto(`${stack.webUrl}/dashboard/room/ZZZZZZ`);
    await listener.locator('[data-testid="room-not-found"]').waitFor();
    await expectNoAxeViolations(listener, "room not found");
  });
});

/** What the focused element is, and whether the keyboard focus ring is drawn on it. */
async function focused(page: Page): Promise<{ testId: string | null; focusVisible: boolean; outline: string }> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return { testId: null, focusVisible: false, outline: "none" };
    const style = getComputedStyle(element);
    const drawn = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    return {
      testId: element.getAttribute("data-testid"),
      focusVisible: element.matches(":focus-visible") && drawn,
      outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
    };
  });
}

/** Presses Tab (only Tab) from the top of the page until the element `testId` has the focus. */
async function tabTo(page: Page, testId: string): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const seen: Array<string | null> = [];
  for (let press = 0; press < 60; press += 1) {
    await page.keyboard.press("Tab");
    const now = await focused(page);
    seen.push(now.testId);
    if (now.testId === testId) {
      expect(now.focusVisible, `focus ring on ${testId}: ${now.outline}`).toBe(true);
      return;
    }
  }
  throw new Error(`Tab never reached ${testId}; focus went through ${seen.join(", ")}`);
}

describe("the room's controls from the keyboard alone, with a visible focus (issue 18 part 5)", () => {
  it("[AX2] the seek slider with Home and arrows, play/pause with Space and Enter, a track from the picker with Enter", async () => {
    await owner.goto(`${stack.webUrl}/dashboard/room/${roomCode}`);
    await roomReady(owner);
    await waitForPlayer(owner, "owner playing", playingAny, SETTLE_TIMEOUT_MS);

    // Home first: the rest of the test then runs well inside the (24 s) track, before it ends.
    await tabTo(owner, "seek-bar");
    await owner.keyboard.press("Home");
    const start = await waitForPlayer(owner, "seeked to the start", (s) => playingAny(s) && s.positionMs < 2_000, SETTLE_TIMEOUT_MS);
    await owner.keyboard.press("ArrowRight");
    // Ahead of where playing on alone would have taken it by (nearly) the 5 s step.
    const aheadOfPlaying = (s: PlayerState) => s.positionMs - (start.positionMs + (s.wallMs - start.wallMs));
    await waitForPlayer(owner, "seeked 5 s ahead", (s) => s.trackId === start.trackId && aheadOfPlaying(s) > 4_000, SETTLE_TIMEOUT_MS);

    await tabTo(owner, "pause");
    await owner.keyboard.press("Space");
    await waitForPlayer(owner, "paused by Space", (s) => s.isPaused, SETTLE_TIMEOUT_MS);
    // The same button now resumes, and keeps the focus.
    expect((await focused(owner)).testId).toBe("resume");
    await owner.keyboard.press("Enter");
    await waitForPlayer(owner, "resumed by Enter", playingAny, SETTLE_TIMEOUT_MS);

    await tabTo(owner, "play-track");
    const picked = await owner.evaluate(() => document.activeElement?.closest("li")?.getAttribute("data-track-id") ?? null);
    expect(picked).not.toBe(start.trackId);
    await owner.keyboard.press("Enter");
    await waitForPlayer(owner, "picked track playing", isPlaying(picked!), SETTLE_TIMEOUT_MS);
  });

  it("[AX2] [AX3] the latency offset with arrows and digits, the calibration click and the owner's switch with Space", async () => {
    await tabTo(owner, "latency-offset");
    await owner.keyboard.press("ArrowUp");
    expect(await owner.inputValue('[data-testid="latency-offset"]')).toBe("5");
    await owner.keyboard.press("Control+A");
    await owner.keyboard.type("40");
    await expect
      .poll(() => owner.evaluate(() => window.__syncBeats?.getSnapshot().stats.outputLatencyOffsetMs ?? null))
      .toBe(40);
    await owner.keyboard.press("Tab");
    expect(await focused(owner)).toMatchObject({ testId: "calibration-click", focusVisible: true });
    await owner.keyboard.press("Enter");

    await tabTo(owner, "listeners-can-control");
    await owner.keyboard.press("Space");
    await waitForPlayer(owner, "listeners may control", (s) => s.listenersCanControl === true, SETTLE_TIMEOUT_MS);
    // Saving must not have taken the focus away (a disabled box would drop it to the page).
    expect((await focused(owner)).testId).toBe("listeners-can-control");
    await expect.poll(() => owner.getAttribute('[data-testid="listeners-can-control"]', "aria-disabled")).toBe("false");
    await owner.keyboard.press("Space");
    await waitForPlayer(owner, "listeners may not control", (s) => s.listenersCanControl === false, SETTLE_TIMEOUT_MS);
  });
});
