import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRoom, isPlaying, readPlayer, recordConsole, screenshot, signUp, waitForPlayer, type PlayerState } from "./harness/app.js";
import { enableDebugHook, launchChromium } from "./harness/browser.js";
import { startStack, type Stack } from "./harness/stack.js";

/*
 * Guests without accounts (issue 18) in real Chromium: the owner opens the share card, a browser
 * context with no account opens the invite link, gives a name, and is in the room as a guest,
 * hearing what plays; the owner rotates the link, and a third context with the old link is
 * refused with a clear message [G2].
 */

const SETTLE_TIMEOUT_MS = 15_000;
const suffix = Date.now().toString(36).slice(-5);
const playingAny = (s: PlayerState) => s.trackId !== null && isPlaying(s.trackId)(s);

let stack: Stack;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function newPage(label: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  contexts.push(context);
  await enableDebugHook(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  recordConsole(page, `invite-guests-${label}`);
  return page;
}

let owner: Page;
let inviteLink = "";

beforeAll(async () => {
  stack = await startStack("invite-guests");
  browser = await launchChromium();
  owner = await newPage("owner");
  await signUp(owner, stack.webUrl, `owner_${suffix}`, "Olive");
  await createRoom(owner, "Open house");
  await owner.locator('[data-testid="room-tracks"] li').filter({ hasText: "demo" }).first().locator('[data-testid="play-track"]').click();
  await waitForPlayer(owner, "owner playing", playingAny, SETTLE_TIMEOUT_MS);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

describe("guests join through the invite link in real Chromium", () => {
  it("the share card shows the invite link and a QR code of it", async () => {
    const link = owner.locator('[data-testid="invite-link"]');
    await link.waitFor();
    inviteLink = await link.inputValue();
    expect(inviteLink).toMatch(new RegExp(`^${stack.webUrl}/join/[A-Za-z0-9_-]{22}$`));
    const qr = owner.locator('[data-testid="invite-qr"]');
    await qr.waitFor();
    expect(await qr.getAttribute("src")).toMatch(/^data:image\/svg\+xml/);
    // The image decoded: the CSP let it through.
    expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  });

  it("a context with no account opens the link, enters a name, is in the room as a guest and hears play", async () => {
    const guest = await newPage("guest");
    await guest.goto(inviteLink);
    await expect.poll(() => guest.locator('[data-testid="invite-room-name"]').textContent()).toContain("Open house");
    await guest.fill("#guest-name", "Gus");
    await guest.click('[data-testid="guest-join"]');
    await guest.waitForURL(/\/dashboard\/room\/[A-Z0-9]+$/);
    await waitForPlayer(guest, "guest playing", playingAny, SETTLE_TIMEOUT_MS);
    expect((await readPlayer(guest))?.canControl).toBe(false);
    // Seen as a guest by the owner, and by itself; no library link in a guest's top bar.
    const gusRow = owner.locator('[data-testid="participants"] li').filter({ hasText: "Gus" });
    await expect.poll(() => gusRow.getAttribute("data-roles"), { timeout: SETTLE_TIMEOUT_MS }).toBe("guest");
    expect(await guest.locator('[data-testid="participants"] li', { hasText: "Gus" }).getAttribute("data-roles")).toBe("guest");
    expect(await guest.getByRole("link", { name: "Library" }).count()).toBe(0);
    expect(await guest.locator('[data-testid="guest-upgrade-open"]').count()).toBe(1);
    await screenshot(guest, "invite-guests-guest-in-room");
  });

  it("[G2] the owner rotates the link: a third context using the old link is refused with a clear message", async () => {
    await owner.click('[data-testid="invite-rotate"]');
    await expect.poll(() => owner.locator('[data-testid="invite-link"]').inputValue()).not.toBe(inviteLink);
    const late = await newPage("late");
    await late.goto(inviteLink);
    const refusal = late.locator('[data-testid="invite-refused"]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/no longer valid/);
    expect(await late.locator('[data-testid="guest-join"]').count()).toBe(0);
    await screenshot(late, "invite-guests-old-link-refused");
  });
});
