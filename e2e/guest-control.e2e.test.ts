import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createRoom,
  holdRawSocket,
  isPlaying,
  joinByCode,
  readPlayer,
  recordConsole,
  screenshot,
  sendOnHeldSocket,
  sendRawControl,
  signUp,
  waitForHeldFrame,
  waitForPlayer,
  type PlayerState,
} from "./harness/app.js";
import { enableDebugHook, launchChromium } from "./harness/browser.js";
import { startStack, type Stack } from "./harness/stack.js";

/*
 * The owner's "Listeners can control playback" switch on the room page, end to end: the page
 * PATCHes the API, the API pushes the room's facts to the sync server, and the sync server
 * broadcasts `room_updated`: the listener's live page enables (or disables) its controls without a
 * reload, a poll or a rejoin. Switched off, the server refuses a listener's command at once, also
 * one forged on a socket the listener kept open, with `command_refused`.
 */

const SETTLE_TIMEOUT_MS = 15_000;
/** The switch reaches live pages by push (API → sync server → `room_updated`), well under this. */
const LIVE_UPDATE_TIMEOUT_MS = 5_000;

let stack: Stack;
let browser: Browser;
let host: Page;
let guest: Page;
let roomCode = "";

const suffix = Date.now().toString(36).slice(-5);

/** Playing whatever track is on: the host's page moves on to the next demo track at the end of one. */
const playingAny = (s: PlayerState) => s.trackId !== null && isPlaying(s.trackId)(s);

/** Still on the connection of `previous` (no rejoin) and playing. */
const sameConnectionPlaying = (previous: PlayerState) => (s: PlayerState) =>
  playingAny(s) && s.joinedSinceMs !== null && s.joinedSinceMs === previous.joinedSinceMs;

beforeAll(async () => {
  stack = await startStack("guest-control");
  browser = await launchChromium();
  [host, guest] = await Promise.all(
    ["host", "guest"].map(async (label) => {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
      await enableDebugHook(context);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      recordConsole(page, `guest-control-${label}`);
      return page;
    }),
  ) as [Page, Page];
  await signUp(host, stack.webUrl, `host_${suffix}`, "Hana");
  await signUp(guest, stack.webUrl, `guest_${suffix}`, "Gus");
  roomCode = await createRoom(host, "Guests welcome");
  await host.locator('[data-testid="room-tracks"] li').filter({ hasText: "demo" }).first().locator('[data-testid="play-track"]').click();
  await waitForPlayer(host, "host playing", playingAny, SETTLE_TIMEOUT_MS);
  await guest.goto(`${stack.webUrl}/dashboard`);
  await joinByCode(guest, stack.webUrl, roomCode);
  await waitForPlayer(guest, "guest playing", playingAny, SETTLE_TIMEOUT_MS);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

describe("listeners can control playback, switched by the owner in real Chromium", () => {
  it("only the owner sees the switch; it starts off and the listener's controls are disabled", async () => {
    const toggle = host.locator('[data-testid="listeners-can-control"]');
    expect(await toggle.isChecked()).toBe(false);
    expect(await guest.locator('[data-testid="room-settings"]').count()).toBe(0);
    expect(await guest.isDisabled('[data-testid="pause"]')).toBe(true);
    expect((await readPlayer(guest))?.listenersCanControl).toBe(false);
  });

  it("switched on: the live listener's controls enable without a rejoin, and its pause and resume reach the host", async () => {
    const before = (await readPlayer(guest))!;
    const clicked = Date.now();
    await host.locator('[data-testid="listeners-can-control"]').check();
    const room = (await (await host.context().request.get(`${stack.apiUrl}/api/rooms/${roomCode}`)).json()) as {
      room: { listenersCanControl: boolean };
    };
    expect(room.room.listenersCanControl).toBe(true);

    await expect.poll(() => guest.isDisabled('[data-testid="pause"]'), { timeout: LIVE_UPDATE_TIMEOUT_MS }).toBe(false);
    console.log(`[e2e] listener's controls enabled ${Date.now() - clicked} ms after the owner's click`);
    const after = (await readPlayer(guest))!;
    expect(after.listenersCanControl && after.canControl).toBe(true);
    expect(sameConnectionPlaying(before)(after)).toBe(true);

    await guest.click('[data-testid="pause"]');
    await waitForPlayer(host, "host paused by the listener", (s) => s.isPaused && s.renderedMs === null, SETTLE_TIMEOUT_MS);
    await guest.click('[data-testid="resume"]');
    await waitForPlayer(host, "host resumed by the listener", playingAny, SETTLE_TIMEOUT_MS);
    await screenshot(host, "guest-control-on");
    await holdRawSocket(guest, { apiUrl: stack.apiUrl, syncPort: stack.syncPort, roomCode });
  });

  it("[B13] switched off: a forged PAUSE on a socket the listener kept open gets command_refused; the page keeps playing and disables its controls", async () => {
    const before = (await readPlayer(guest))!;
    await host.locator('[data-testid="listeners-can-control"]').uncheck();
    await waitForHeldFrame(guest, { type: "room_updated", room: { listenersCanControl: false } }, LIVE_UPDATE_TIMEOUT_MS);
    expect(await sendOnHeldSocket(guest, { type: "PAUSE" })).toEqual({ type: "command_refused", code: "NOT_HOST" });
    expect((await readPlayer(host))?.isPaused).toBe(false);
    await expect.poll(() => guest.isDisabled('[data-testid="pause"]'), { timeout: LIVE_UPDATE_TIMEOUT_MS }).toBe(true);
    expect(sameConnectionPlaying(before)((await readPlayer(guest))!)).toBe(true);
    const refusal = await sendRawControl(guest, { apiUrl: stack.apiUrl, syncPort: stack.syncPort, roomCode }, { type: "PAUSE" });
    expect(refusal).toEqual({ type: "command_refused", code: "NOT_HOST" });
    expect((await readPlayer(host))?.isPaused).toBe(false);
  });

  it("a production page without the opt-in carries no window.__syncBeats", async () => {
    // The guest's cookies, but not its localStorage opt-in.
    const state = await guest.context().storageState();
    const context = await browser.newContext({ storageState: { cookies: state.cookies, origins: [] } });
    try {
      const page = await context.newPage();
      await page.goto(`${stack.webUrl}/dashboard/room/${roomCode}`);
      await page.locator('[data-testid="participants"] li', { hasText: "Gus" }).first().waitFor();
      expect(await page.evaluate(() => "__syncBeats" in window)).toBe(false);
    } finally {
      await context.close();
    }
  });
});
