import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRoom, joinByCode, recordConsole, screenshot, signUp } from "./harness/app.js";
import { enableDebugHook, launchChromium } from "./harness/browser.js";
import { startStack, type Stack } from "./harness/stack.js";

/*
 * What a new user's trial of the room page found (2026-12-02), each checked in real Chromium on
 * real servers: a signed-out landing page that logs no error, a joiner by code who sees the
 * invite link at once, and the owner reading every participant's name at desktop and phone
 * widths.
 */

const suffix = Date.now().toString(36).slice(-5);

let stack: Stack;
let browser: Browser;

/** A page whose console errors (and failed requests Chromium logs there) are collected. */
async function newPage(label: string): Promise<{ page: Page; consoleErrors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  await enableDebugHook(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  recordConsole(page, `room-page-fixes-${label}`);
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  return { page, consoleErrors };
}

let owner: Page;
let roomCode = "";

beforeAll(async () => {
  stack = await startStack("room-page-fixes");
  browser = await launchChromium();
  ({ page: owner } = await newPage("owner"));
  await signUp(owner, stack.webUrl, `owner_${suffix}`, "Olive Owner");
  roomCode = await createRoom(owner, "Trial room");
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

describe("the room page after a new user's trial, in real Chromium", () => {
  it("a signed-out visit to / logs no console error", async () => {
    const { page, consoleErrors } = await newPage("signed-out");
    await page.goto(stack.webUrl);
    await page.waitForLoadState("networkidle");
    expect(consoleErrors).toEqual([]);
  });

  it("a second user joining by code sees the invite link, with no 403 in the console", async () => {
    const { page: joiner, consoleErrors } = await newPage("joiner");
    await signUp(joiner, stack.webUrl, `joiner_${suffix}`, "Bartholomew Joiner");
    await joinByCode(joiner, stack.webUrl, roomCode);
    await joiner.locator('[data-testid="invite-link"]').waitFor();
    expect(await joiner.locator('[data-testid="invite-link"]').inputValue()).toMatch(new RegExp(`^${stack.webUrl}/join/`));
    await joiner.waitForLoadState("networkidle");
    expect(consoleErrors.filter((line) => line.includes("403"))).toEqual([]);
  });

  it.each([1200, 1440, 390])("at %i px the owner reads each participant's name and the row's buttons stay inside the card", async (width) => {
    await owner.setViewportSize({ width, height: 900 });
    const card = owner.locator('section[aria-labelledby="participants-title"]');
    const row = card.locator("li").filter({ hasText: "Bartholomew Joiner" });
    await row.waitFor();
    const name = row.getByText("Bartholomew Joiner", { exact: true });
    const nameBox = (await name.boundingBox())!;
    expect(nameBox.width).toBeGreaterThan(0);
    // The whole name is shown, not cut to an ellipsis.
    expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const cardBox = (await card.boundingBox())!;
    const buttons = row.getByRole("button");
    expect(await buttons.count()).toBe(2);
    for (const button of await buttons.all()) {
      const box = (await button.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(cardBox.x);
      expect(box.x + box.width).toBeLessThanOrEqual(cardBox.x + cardBox.width);
    }
    await screenshot(owner, `room-page-fixes-participants-${width}`);
  });
});
