import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRoom, recordConsole, signUp, waitForPlayer } from "./harness/app.js";
import { enableDebugHook, launchChromium } from "./harness/browser.js";
import { startStack, type Stack } from "./harness/stack.js";

/*
 * Reordering the shared queue on the room page in real Chromium [Q6]: by dragging an item with
 * the pointer (Playwright's mouse drives Chromium's HTML drag and drop), and from the keyboard
 * (Tab to an item's ↑ / ↓ button, Enter). Every move goes to the server, which sends the new
 * order back: the page shows what the server holds.
 */

let stack: Stack;
let browser: Browser;
let owner: Page;

const items = () => owner.locator('[data-testid="queue-item"]');
const order = () => items().evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-item-id") ?? ""));

async function addToQueue(trackId: string, expected: number): Promise<void> {
  await owner.selectOption('[data-testid="queue-add-select"]', trackId);
  await owner.click('[data-testid="queue-add"]');
  await expect.poll(() => items().count(), { timeout: 10_000 }).toBe(expected);
}

beforeAll(async () => {
  stack = await startStack("reorder");
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  await enableDebugHook(context);
  owner = await context.newPage();
  recordConsole(owner, "reorder-owner");
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

describe("queue reordering in real Chromium", () => {
  it("[Q6] dragging an item with the pointer moves it, and the server's order comes back", async () => {
    await signUp(owner, stack.webUrl, `rita_${Date.now().toString(36).slice(-5)}`, "Rita");
    await createRoom(owner, "Reorder party");
    await waitForPlayer(owner, "owner hosts", (s) => s.connection === "joined" && s.isHost, 15_000);
    await addToQueue("demo-chords", 1);
    await addToQueue("demo-metronome", 2);
    await addToQueue("demo-chords", 3);
    const [a, b, c] = await order();

    // Pointer drag: press on the last item, move over the first in steps, release.
    const from = (await items().nth(2).boundingBox())!;
    const to = (await items().nth(0).boundingBox())!;
    await owner.mouse.move(from.x + 20, from.y + from.height / 2);
    await owner.mouse.down();
    await owner.mouse.move(to.x + 20, to.y + to.height / 2, { steps: 10 });
    await owner.mouse.up();
    await expect.poll(order, { timeout: 10_000 }).toEqual([c, a, b]);

    // Playwright's drag helper, the other way: the first item dropped on the last.
    await items().nth(0).dragTo(items().nth(2));
    await expect.poll(order, { timeout: 10_000 }).toEqual([a, b, c]);
  });

  it("[Q6] from the keyboard: Tab to an item's move button and press Enter", async () => {
    const [a, b, c] = await order();
    const down = owner.getByRole("button", { name: /^Move .* down$/ }).first();
    await down.focus();
    await owner.keyboard.press("Enter");
    await expect.poll(order, { timeout: 10_000 }).toEqual([b, a, c]);
    // Focus moves with the keyboard alone: Shift+Tab back from "Move … down" of the second item reaches its "up".
    await owner.getByRole("button", { name: /^Move .* down$/ }).nth(1).focus();
    await owner.keyboard.press("Shift+Tab");
    expect(await owner.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? "")).toMatch(/^Move .* up$/);
    await owner.keyboard.press("Enter");
    await expect.poll(order, { timeout: 10_000 }).toEqual([a, b, c]);
  });
});
