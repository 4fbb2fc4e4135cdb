import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRoom, docScreenshot, isPlaying, joinByCode, readPlayer, recordConsole, screenshot, signUp, waitForPlayer } from "./harness/app.js";
import { enableDebugHook, launchChromium } from "./harness/browser.js";
import { startStack, type Stack } from "./harness/stack.js";
import { sineWav } from "./harness/wav.js";

/*
 * What a new user's trial of the room page found (2026-12-02), each checked in real Chromium on
 * real servers: a signed-out landing page that logs no error, a joiner by code who sees the
 * invite link at once, the owner reading every participant's name at desktop and phone widths,
 * and uploads of one song in several formats told apart by a format badge. The README's first
 * screenshot is taken from this room as it now looks, before the uploads.
 */

const suffix = Date.now().toString(36).slice(-5);
const hasFfmpeg = spawnSync("ffmpeg", ["-version"], { stdio: "ignore" }).status === 0;
if (!hasFfmpeg) console.log("room-page-fixes: ffmpeg not installed; the MP3 and FLAC uploads are skipped (WAV only)");

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
let joiner: Page;
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
    const opened = await newPage("joiner");
    joiner = opened.page;
    const { consoleErrors } = opened;
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

  it("makes the README's room screenshot: host with the debug panel, a demo track playing, one queued, a chat line", async () => {
    await owner.setViewportSize({ width: 1200, height: 1400 });
    await owner.goto(`${stack.webUrl}/dashboard/room/${roomCode}`);
    await owner.locator('[data-testid="room-tracks"] li').filter({ hasText: "Four Chords in C" }).locator('[data-testid="play-track"]').click();
    await waitForPlayer(owner, "owner playing", (state) => state.trackId !== null && isPlaying(state.trackId)(state), 15_000);
    const metronome = owner.locator('[data-testid="queue-add-select"] option').filter({ hasText: "Metronome 120 BPM" });
    await owner.selectOption('[data-testid="queue-add-select"]', (await metronome.getAttribute("value"))!);
    await owner.click('[data-testid="queue-add"]');
    await joiner.fill('[data-testid="chat-input"]', "this one is lovely");
    await joiner.press('[data-testid="chat-input"]', "Enter");
    await owner.locator('[data-testid="chat-text"]', { hasText: "this one is lovely" }).waitFor();
    await owner.click('[data-testid="debug-toggle"]');
    // A few seconds of the drift chart, as a user who opened the panel would see it.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect((await readPlayer(owner))?.participants).toBe(2);
    await docScreenshot(owner, "room-host-debug");
  });

  it("uploads of one song in several formats show their format in the library and the queue picker", async () => {
    const dir = mkdtempSync(join(tmpdir(), "room-page-fixes-"));
    try {
      const wavPath = join(dir, "tone.wav");
      const uploads = [{ name: "tone.wav", mimeType: "audio/wav", buffer: sineWav({ seconds: 3, frequency: 440 }), label: "WAV" }];
      if (hasFfmpeg) {
        writeFileSync(wavPath, uploads[0]!.buffer);
        for (const [ext, mimeType, label] of [["mp3", "audio/mpeg", "MP3"], ["flac", "audio/flac", "FLAC"]] as const) {
          const out = join(dir, `tone.${ext}`);
          const encoded = spawnSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-i", wavPath, out]);
          expect(encoded.status, String(encoded.stderr)).toBe(0);
          uploads.push({ name: `tone.${ext}`, mimeType, buffer: readFileSync(out), label });
        }
      }
      await owner.goto(`${stack.webUrl}/dashboard/library`);
      for (const upload of uploads) {
        await owner.setInputFiles('[data-testid="upload-input"]', { name: upload.name, mimeType: upload.mimeType, buffer: upload.buffer });
        await owner.locator('[data-testid="upload-done"]').waitFor({ timeout: 20_000 });
      }
      await owner.reload();
      const rows = owner.locator('[data-testid="track-list"] li');
      await expect.poll(() => rows.filter({ hasText: "tone" }).count()).toBe(uploads.length);
      const badges = await rows.filter({ hasText: "tone" }).locator('[data-testid="track-format"]').allTextContents();
      expect(badges.sort()).toEqual(uploads.map((u) => u.label).sort());
      expect(await rows.filter({ hasText: "Four Chords in C" }).locator('[data-testid="track-format"]').textContent()).toBe("WAV");

      await owner.goto(`${stack.webUrl}/dashboard/room/${roomCode}`);
      const options = owner.locator('[data-testid="queue-add-select"] option').filter({ hasText: "tone" });
      await expect.poll(() => options.count()).toBe(uploads.length);
      const labels = (await options.allTextContents()).map((text) => text.split(" · ").pop());
      expect(labels.sort()).toEqual(uploads.map((u) => u.label).sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("who uploaded a track deletes it from the library after confirming; demo tracks have no Delete", async () => {
    await owner.goto(`${stack.webUrl}/dashboard/library`);
    await owner.setInputFiles('[data-testid="upload-input"]', { name: "short-lived.wav", mimeType: "audio/wav", buffer: sineWav({ seconds: 2, frequency: 330 }) });
    await owner.locator('[data-testid="upload-done"]').waitFor({ timeout: 20_000 });
    await owner.reload();
    const row = owner.locator('[data-testid="track-list"] li').filter({ hasText: "short-lived" });
    await row.waitFor();
    expect(await owner.locator('[data-testid="track-list"] li').filter({ hasText: "Four Chords in C" }).locator('[data-testid="delete-track"]').count()).toBe(0);
    owner.once("dialog", (dialog) => void dialog.dismiss());
    await row.locator('[data-testid="delete-track"]').click();
    await owner.waitForTimeout(300);
    expect(await row.count()).toBe(1);
    owner.once("dialog", (dialog) => void dialog.accept());
    await row.locator('[data-testid="delete-track"]').click();
    await expect.poll(() => row.count()).toBe(0);
    await owner.reload();
    await owner.locator('[data-testid="track-list"] li').first().waitFor();
    expect(await owner.locator('[data-testid="track-list"] li').filter({ hasText: "short-lived" }).count()).toBe(0);
  });
});
