import { loadavg } from "node:os";
import { DEMO_SAMPLE_RATE, encodeTimecodeSample, encodeWav } from "@sync-beats/demo-tracks";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRoom, isPlaying, joinByCode, recordConsole, screenshot, signUp, waitForPlayer } from "./harness/app.js";
import { expectNoAxeViolations } from "./harness/axe.js";
import { boundaryGaps } from "./harness/boundary-gaps.js";
import { enableDebugHook, launchChromium } from "./harness/browser.js";
import { startStack, type Stack } from "./harness/stack.js";
import { collectTap, installTap } from "./harness/tap.js";

/*
 * The shared queue played by the server [Q8]: the owner queues two tracks, a second account adds
 * a third, a guest who came in through the invite link with no account (on a phone-sized
 * viewport) adds a fourth and takes it back out, then leaves; the owner's page closes, and the
 * remaining page plays the queue through. Its rendered output (the precision benchmark's timecode
 * tap) shows the gap at each track boundary. (With the guest's page rendering too, one CI run at
 * load 5 saw the friend's page fall 30 ms behind at each 3–4 s track's start, uncorrected before
 * its end: see the closing note of session 4.)
 */

/** The issue's bound on the gap between the last sample of one track and the first of the next (p95). */
const MAX_BOUNDARY_GAP_MS = 5;
// Short tracks (issue 17): a track's start must be right at once, not corrected later. 3–4 s tracks
// once failed CI with 10–30 ms cut (session 4 note): a late-opened track's first node started under
// the renderer's look-ahead and played late (fixed by the 50 ms MIN_AHEAD_S rule of playback-session).
const SECONDS = [4, 4, 3];

let stack: Stack;
let browser: Browser;
let owner: Page;
let friend: Page;
let friendContext: BrowserContext;
let guest: Page;

const suffix = Date.now().toString(36).slice(-5);

/** A short float32 timecode track (samples encode their own frame), as a WAV. */
function timecodeWav(seconds: number, title: string): Buffer {
  return encodeWav({
    sampleRate: DEMO_SAMPLE_RATE,
    channels: 1,
    format: "float32",
    frames: seconds * DEMO_SAMPLE_RATE,
    sample: (frame) => encodeTimecodeSample(frame),
    title,
    artist: "Queue e2e",
  });
}

/** Uploads through the API from the signed-in page (its session cookie); returns the track id. */
async function upload(page: Page, seconds: number, title: string): Promise<string> {
  const base64 = timecodeWav(seconds, title).toString("base64");
  const answer = await page.evaluate(
    async ({ apiUrl, base64, title }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const form = new FormData();
      form.append("file", new Blob([bytes], { type: "audio/wav" }), `${title}.wav`);
      const response = await fetch(`${apiUrl}/api/tracks`, { method: "POST", body: form, credentials: "include" });
      return { status: response.status, body: (await response.json()) as { track?: { id: string } } };
    },
    { apiUrl: stack.apiUrl, base64, title },
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.track!.id;
}

async function addToQueue(page: Page, trackId: string, expectedItems: number): Promise<void> {
  await page.selectOption('[data-testid="queue-add-select"]', trackId);
  await page.click('[data-testid="queue-add"]');
  await expect.poll(() => page.locator('[data-testid="queue-item"]').count(), { timeout: 10_000 }).toBe(expectedItems);
}

beforeAll(async () => {
  stack = await startStack("queue");
  browser = await launchChromium();
  const ownerContext = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  friendContext = await browser.newContext({ viewport: { width: 375, height: 812 }, bypassCSP: true });
  await enableDebugHook(ownerContext);
  await enableDebugHook(friendContext);
  await installTap(friendContext);
  owner = await ownerContext.newPage();
  friend = await friendContext.newPage();
  recordConsole(owner, "queue-owner");
  recordConsole(friend, "queue-friend");
  const guestContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await enableDebugHook(guestContext);
  guest = await guestContext.newPage();
  recordConsole(guest, "queue-guest");
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

describe("shared queue in real Chromium", () => {
  it("[Q8] the room plays the queue through with the owner's page closed, gapless at every boundary", async () => {
    await signUp(owner, stack.webUrl, `olive_${suffix}`, "Olive");
    await signUp(friend, stack.webUrl, `finn_${suffix}`, "Finn");
    const first = await upload(owner, SECONDS[0]!, "Queue one");
    const second = await upload(owner, SECONDS[1]!, "Queue two");
    const third = await upload(friend, SECONDS[2]!, "Queue three");

    await owner.goto(`${stack.webUrl}/dashboard`);
    const code = await createRoom(owner, "Queue party");
    await waitForPlayer(owner, "owner hosts", (s) => s.connection === "joined" && s.isHost, 15_000);
    await friend.goto(`${stack.webUrl}/dashboard`);
    await joinByCode(friend, stack.webUrl, code);
    await waitForPlayer(friend, "friend joined", (s) => s.connection === "joined" && s.audio === "running", 15_000);
    // A guest with no account, through the owner's invite link [G1].
    const inviteLink = await owner.locator('[data-testid="invite-link"]').inputValue();
    await guest.goto(inviteLink);
    await guest.fill("#guest-name", "Gus");
    await guest.click('[data-testid="guest-join"]');
    await waitForPlayer(guest, "guest joined", (s) => s.connection === "joined" && s.audio === "running", 15_000);

    await addToQueue(owner, first, 1);
    await addToQueue(owner, second, 2);
    await addToQueue(friend, third, 3);
    // The guest adds from the library a guest may see (the demo tracks), then removes its own item [Q3][Q5].
    await addToQueue(guest, "demo-chords", 4);
    await expect.poll(async () => (await owner.locator('[data-testid="queue-item"]').allTextContents())[3] ?? "", { timeout: 10_000 }).toContain("added by Gus");
    await guest.locator('[data-testid="queue-item"]').nth(3).getByRole("button", { name: /from the queue$/ }).click();
    await expect.poll(() => owner.locator('[data-testid="queue-item"]').count(), { timeout: 10_000 }).toBe(3);
    const addedBy = await owner.locator('[data-testid="queue-item"]').allTextContents();
    expect(addedBy[2]).toContain("added by Finn");
    expect(addedBy[0]).toContain("added by Olive");
    await screenshot(owner, "queue-01-three-queued");
    // The room page with the queue, share card, chat and participants, as owner and as a guest [AX1].
    await expectNoAxeViolations(owner, "room with a queue, owner");
    await expectNoAxeViolations(guest, "room with a queue, guest (phone viewport)");
    await guest.close();

    await owner.locator('[data-testid="queue-item"]').first().locator('[data-testid="queue-play-now"]').click();
    await waitForPlayer(friend, "friend plays the first queued track", isPlaying(first), 15_000);
    await owner.close();

    await waitForPlayer(friend, "friend plays the second", isPlaying(second), 15_000);
    await waitForPlayer(friend, "friend plays the third", isPlaying(third), 15_000);
    await friend.locator('[data-testid="queue-ended"]').waitFor({ timeout: 15_000 });
    await screenshot(friend, "queue-02-ran-out");

    const tap = await collectTap(friend);
    expect(tap, "the tap recorded the friend's output").not.toBeNull();
    const gaps = boundaryGaps(tap!.records, tap!.sampleRate, SECONDS.map((s) => s * DEMO_SAMPLE_RATE));
    const load = loadavg()[0]!.toFixed(2);
    console.log(`[Q8] boundary gaps (ms): ${gaps.map((g) => `${g.gapMs.toFixed(3)} (skipped ${g.skippedMs.toFixed(3)})`).join(", ")}; load ${load}`);
    expect(gaps).toHaveLength(2);
    const worst = Math.max(...gaps.map((g) => Math.abs(g.gapMs) + g.skippedMs));
    expect(worst, `worst boundary gap at load ${load}`).toBeLessThanOrEqual(MAX_BOUNDARY_GAP_MS);
  });
});
