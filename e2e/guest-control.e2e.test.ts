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
 * The host's "Guests can control playback" switch on the room page, end to end: the API stores
 * it, the guest's page picks it up and rejoins, and the sync server (which reads the grant from
 * the join ticket) lets the guest's commands through; switched off, the host's page tells the sync
 * server, which refuses them at once, also on a socket the guest kept open with the old grant, and
 * the guest's page plays on without a rejoin.
 */

const SETTLE_TIMEOUT_MS = 15_000;
/** The guest's page polls the room every 5 s; a change must show within two polls and a rejoin. */
const GRANT_SEEN_TIMEOUT_MS = 20_000;

let stack: Stack;
let browser: Browser;
let host: Page;
let guest: Page;
let roomCode = "";

const suffix = Date.now().toString(36).slice(-5);

/** Playing whatever track is on: the host's page moves on to the next demo track at the end of one. */
const playingAny = (s: PlayerState) => s.trackId !== null && isPlaying(s.trackId)(s);

/** The guest's page has joined again since `previous` and plays. */
const rejoinedAndPlaying = (previous: PlayerState) => (s: PlayerState) =>
  playingAny(s) && s.joinedSinceMs !== null && s.joinedSinceMs !== previous.joinedSinceMs;

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

describe("guests can control playback, switched by the host in real Chromium", () => {
  it("only the host sees the switch; it starts off and the guest's controls are disabled", async () => {
    const toggle = host.locator('[data-testid="guests-can-control"]');
    expect(await toggle.isChecked()).toBe(false);
    expect(await guest.locator('[data-testid="room-settings"]').count()).toBe(0);
    expect(await guest.isDisabled('[data-testid="pause"]')).toBe(true);
  });

  it("switched on: the guest's page rejoins with the grant, and the guest's pause and resume reach the host", async () => {
    const before = (await readPlayer(guest))!;
    const clicked = Date.now();
    await host.locator('[data-testid="guests-can-control"]').check();
    const room = (await (await host.context().request.get(`${stack.apiUrl}/api/rooms/${roomCode}`)).json()) as {
      room: { guestsCanControl: boolean };
    };
    expect(room.room.guestsCanControl).toBe(true);

    await expect.poll(() => guest.isDisabled('[data-testid="pause"]'), { timeout: GRANT_SEEN_TIMEOUT_MS }).toBe(false);
    await waitForPlayer(guest, "guest rejoined", rejoinedAndPlaying(before), SETTLE_TIMEOUT_MS);
    console.log(`[e2e] guest rejoined with control ${Date.now() - clicked} ms after the host's click`);

    await guest.click('[data-testid="pause"]');
    await waitForPlayer(host, "host paused by the guest", (s) => s.isPaused && s.renderedMs === null, SETTLE_TIMEOUT_MS);
    await guest.click('[data-testid="resume"]');
    await waitForPlayer(host, "host resumed by the guest", playingAny, SETTLE_TIMEOUT_MS);
    await screenshot(host, "guest-control-on");
    await holdRawSocket(guest, { apiUrl: stack.apiUrl, syncPort: stack.syncPort, roomCode });
  });

  it("[B13] switched off: refused at once on a socket the guest kept open with the old grant; the page keeps playing and disables its controls", async () => {
    const before = (await readPlayer(guest))!;
    await host.locator('[data-testid="guests-can-control"]').uncheck();
    await waitForHeldFrame(guest, { type: "room_settings", guestsCanControl: false }, SETTLE_TIMEOUT_MS);
    expect(await sendOnHeldSocket(guest, { type: "PAUSE" })).toBe("NOT_HOST");
    expect((await readPlayer(host))?.isPaused).toBe(false);
    await expect.poll(() => guest.isDisabled('[data-testid="pause"]'), { timeout: GRANT_SEEN_TIMEOUT_MS }).toBe(true);
    const after = (await readPlayer(guest))!;
    expect(playingAny(after) && after.joinedSinceMs === before.joinedSinceMs).toBe(true);
    const refusal = await sendRawControl(guest, { apiUrl: stack.apiUrl, syncPort: stack.syncPort, roomCode }, { type: "PAUSE" });
    expect(refusal).toBe("NOT_HOST");
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
