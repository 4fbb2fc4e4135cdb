import { availableParallelism, loadavg } from "node:os";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it as vitestIt } from "vitest";
import {
  createRoom,
  docScreenshot,
  isPlaying,
  joinByCode,
  readPlayer,
  recordConsole,
  renderedGapMs,
  screenshot,
  sendRawControl,
  signUp,
  waitForPlayer,
} from "./harness/app.js";
import { enableDebugHook, launchChromium, requireTapForAudio } from "./harness/browser.js";
import { startStack, type Stack } from "./harness/stack.js";
import { sineWav } from "./harness/wav.js";

/*
 * Two people in two browser contexts (separate cookies, separate audio contexts) on real api,
 * sync and web servers. The tests run in order and share the room: each step starts from the
 * state the previous one left.
 */

/**
 * "B is playing within 2 s": the functional requirement, measured from the command. It
 * assumes a machine that is not oversubscribed (at a load average of 30 on 2 cores it measured
 * 2.1-2.9 s); E2E_PLAY_DEADLINE_MS overrides it for such runs.
 */
const PLAY_DEADLINE_MS = Number(process.env.E2E_PLAY_DEADLINE_MS ?? 2_000);
/** Both pages read their rendered position against one wall clock; reads are ~10 ms quantised. */
const SAME_INSTANT_TOLERANCE_MS = 80;
const SETTLE_TIMEOUT_MS = 15_000;

let stack: Stack;
let browser: Browser;
let contextA: BrowserContext;
let contextB: BrowserContext;
let a: Page;
let b: Page;
let roomCode = "";
let firstTrackId = "";

const suffix = Date.now().toString(36).slice(-5);

/** The steps build on each other: after one fails, the rest are skipped instead of timing out. */
let broken = false;
function it(name: string, body: () => Promise<void>): void {
  vitestIt(name, async (context) => {
    if (broken) context.skip("an earlier step failed");
    context.onTestFailed(() => {
      broken = true;
    });
    await body();
  });
}

async function expectInSync(label: string): Promise<void> {
  // Let the drift controller settle, then compare what the two devices render.
  let gap = Number.POSITIVE_INFINITY;
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const [stateA, stateB] = await Promise.all([readPlayer(a), readPlayer(b)]);
    if (stateA && stateB) gap = renderedGapMs(stateA, stateB);
    if (gap <= SAME_INSTANT_TOLERANCE_MS) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(gap, `${label}: rendered positions apart`).toBeLessThanOrEqual(SAME_INSTANT_TOLERANCE_MS);
}

beforeAll(async () => {
  // One after the other, so afterAll can stop the servers even if the browser fails to launch.
  stack = await startStack("listen");
  browser = await launchChromium();
  contextA = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  // B is a phone-width window: the room page must work at 375 px.
  contextB = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2 });
  for (const context of [contextA, contextB]) await enableDebugHook(context);
  a = await contextA.newPage();
  b = await contextB.newPage();
  for (const page of [a, b]) page.setDefaultTimeout(10_000);
  recordConsole(a, "listen-a");
  recordConsole(b, "listen-b");
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

describe("listening together in real Chromium", () => {
  it("the library uploads a track with a progress bar and lists it", async () => {
    await signUp(a, stack.webUrl, `alice_${suffix}`, "Alice");
    await a.goto(`${stack.webUrl}/dashboard/library`);
    const rows = a.locator('[data-testid="track-list"] li');
    await rows.first().waitFor();
    const before = await rows.count();
    // Record every progress value the bar shows, to prove it is driven by upload events.
    await a.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { __progress: number[] }).__progress = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid="upload-progress"] [role="progressbar"]');
        const value = Number(bar?.getAttribute("aria-valuenow"));
        if (bar && seen[seen.length - 1] !== value) seen.push(value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await a.setInputFiles('[data-testid="upload-input"]', {
      name: "e2e-sine.wav",
      mimeType: "audio/wav",
      // 60 s: the room reaches it after the two demo tracks, and it must outlast the later tests
      // (reload, autoplay, a sync restart mid-song).
      buffer: sineWav({ seconds: 60, frequency: 440 }),
    });
    await a.locator('[data-testid="upload-done"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => rows.count()).toBe(before + 1);
    expect(await a.locator('[data-testid="track-list"]').textContent()).toContain("1:00");
    const progress = await a.evaluate(() => (window as unknown as { __progress: number[] }).__progress);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((value, i) => i === 0 || value >= progress[i - 1]!)).toBe(true);
    await screenshot(a, "00-library-after-upload");
  });

  it("two users sign up, A creates a room and plays a demo track, B joins by code and plays within 2 s", async () => {
    await signUp(b, stack.webUrl, `bob_${suffix}`, "Bob");

    await a.goto(`${stack.webUrl}/dashboard`);
    roomCode = await createRoom(a, "Friday night mix <3");
    await waitForPlayer(a, "A joined as host", (s) => s.connection === "joined" && s.isHost, SETTLE_TIMEOUT_MS);
    expect(await a.textContent('[data-testid="room-name"]')).toBe("Friday night mix <3");

    const firstPlay = a.locator('[data-testid="room-tracks"] li').filter({ hasText: "demo" }).first();
    firstTrackId = (await firstPlay.getAttribute("data-track-id")) ?? "";
    expect(firstTrackId).not.toBe("");
    await firstPlay.locator('[data-testid="play-track"]').click();
    await waitForPlayer(a, "A playing", isPlaying(firstTrackId), SETTLE_TIMEOUT_MS);

    // A mistyped code lands on "Room not found", not on a room that never connects.
    await b.goto(`${stack.webUrl}/dashboard/room/NOSUCH99`);
    await b.locator('[data-testid="room-not-found"]').waitFor();

    await b.goto(`${stack.webUrl}/dashboard`);
    await b.locator(`[data-testid="public-rooms"] li[data-room-code="${roomCode}"]`).waitFor();
    await docScreenshot(b, "dashboard-phone");
    const joinStarted = Date.now();
    await joinByCode(b, stack.webUrl, roomCode);
    const joined = await waitForPlayer(b, "B playing after join", isPlaying(firstTrackId), SETTLE_TIMEOUT_MS);
    const elapsed = Date.now() - joinStarted;
    console.log(`[e2e] B playing ${elapsed} ms after pressing Join (position ${joined.positionMs.toFixed(0)} ms)`);
    expect(elapsed, `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`).toBeLessThanOrEqual(
      PLAY_DEADLINE_MS,
    );
    expect(joined.isHost).toBe(false);

    await expectInSync("after join");
    await expect.poll(() => a.locator('[data-testid="participants"] li').count(), { timeout: 5_000 }).toBe(2);
    await screenshot(a, "01-host-playing");
    await screenshot(b, "01-guest-playing-375px");
  });

  it("B (not host) cannot control: controls are disabled and the server refuses a forged PAUSE", async () => {
    await expect.poll(() => b.isDisabled('[data-testid="pause"]')).toBe(true);
    expect(await b.isDisabled('[data-testid="next-track"]')).toBe(true);
    const playButtons = b.locator('[data-testid="play-track"]');
    for (let i = 0; i < (await playButtons.count()); i++) expect(await playButtons.nth(i).isDisabled()).toBe(true);

    // Bypass the UI: open a second socket with B's own session and send PAUSE.
    const refusal = await sendRawControl(b, { apiUrl: stack.apiUrl, syncPort: stack.syncPort, roomCode }, { type: "PAUSE" });
    expect(refusal).toEqual({ type: "command_refused", code: "NOT_HOST" });
    const [stateA, stateB] = await Promise.all([readPlayer(a), readPlayer(b)]);
    expect(stateA?.isPaused).toBe(false);
    expect(stateB?.isPaused).toBe(false);
  });

  it("pause reaches B", async () => {
    const sent = Date.now();
    await a.click('[data-testid="pause"]');
    const paused = await waitForPlayer(b, "B paused", (s) => s.isPaused && s.renderedMs === null, SETTLE_TIMEOUT_MS);
    console.log(`[e2e] pause reached B in ${Date.now() - sent} ms`);
    const pausedA = await waitForPlayer(a, "A paused", (s) => s.isPaused, SETTLE_TIMEOUT_MS);
    expect(Math.abs(paused.positionMs - pausedA.positionMs)).toBeLessThan(SAME_INSTANT_TOLERANCE_MS);
    await screenshot(b, "02-guest-paused-375px");
  });

  it("resume and a dragged seek reach B", async () => {
    await a.click('[data-testid="resume"]');
    await waitForPlayer(b, "B resumed", isPlaying(firstTrackId), SETTLE_TIMEOUT_MS);

    const bar = a.locator('[data-testid="seek-bar"] .track');
    const box = await bar.boundingBox();
    if (!box) throw new Error("seek bar not visible");
    const beforeSeek = (await readPlayer(a))!;
    const y = box.y + box.height / 2;
    await a.mouse.move(box.x + box.width * 0.2, y);
    await a.mouse.down();
    await a.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
    await a.mouse.move(box.x + box.width * 0.75, y, { steps: 5 });
    await a.mouse.up();

    const durationMs = await a.evaluate(() => window.__syncBeats?.getSnapshot().track?.duration ?? 0);
    const target = durationMs * 0.75;
    const sought = await waitForPlayer(
      b,
      "B at the seek target",
      (s) => isPlaying(firstTrackId)(s) && Math.abs(s.positionMs - target) < 3_000,
      SETTLE_TIMEOUT_MS,
    );
    expect(sought.positionMs).toBeGreaterThan(beforeSeek.positionMs);
    await expectInSync("after seek");
  });

  it("a track change reaches B", async () => {
    await a.click('[data-testid="next-track"]');
    const changed = await waitForPlayer(
      a,
      "A on the next track",
      (s) => s.trackId !== null && s.trackId !== firstTrackId && isPlaying(s.trackId)(s),
      SETTLE_TIMEOUT_MS,
    );
    await waitForPlayer(b, "B on the next track", isPlaying(changed.trackId!), SETTLE_TIMEOUT_MS);
    await expectInSync("after track change");
  });

  it("[Q8] at the end of a track the room moves on to the queued one by itself", async () => {
    const { trackId: before } = (await readPlayer(a))!;
    // The room now stops when its queue runs out: queue the longest other track, so the room is
    // still on it for the remaining steps (reload, autoplay, sync restart).
    const rows = await a.locator('[data-testid="room-tracks"] li[data-track-id]').evaluateAll((items) =>
      items.map((row) => ({ id: row.getAttribute("data-track-id"), length: /(\d+):(\d\d)/.exec(row.textContent ?? "") })),
    );
    const seconds = (match: RegExpExecArray | null) => (match ? Number(match[1]) * 60 + Number(match[2]) : 0);
    const queued = rows.filter((row) => row.id !== null && row.id !== before).sort((x, y) => seconds(y.length) - seconds(x.length))[0]!.id!;
    await a.selectOption('[data-testid="queue-add-select"]', queued);
    await a.click('[data-testid="queue-add"]');
    await a.locator('[data-testid="queue-item"]').first().waitFor();
    const bar = a.locator('[data-testid="seek-bar"] .track');
    const box = await bar.boundingBox();
    if (!box) throw new Error("seek bar not visible");
    // Drop the thumb past the right end: the track is over at once.
    await a.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    await a.mouse.down();
    await a.mouse.move(box.x + box.width + 20, box.y + box.height / 2, { steps: 4 });
    await a.mouse.up();
    await waitForPlayer(b, "B on the queued track", isPlaying(queued), SETTLE_TIMEOUT_MS);
    await waitForPlayer(a, "A on the queued track", isPlaying(queued), SETTLE_TIMEOUT_MS);
  });

  it("reloading B's page re-syncs it", async () => {
    const { trackId } = (await readPlayer(a))!;
    const started = Date.now();
    await b.reload();
    await waitForPlayer(b, "B playing after reload", isPlaying(trackId!), SETTLE_TIMEOUT_MS);
    console.log(`[e2e] B playing ${Date.now() - started} ms after reload`);
    await expectInSync("after reload");
  });

  it("where autoplay is blocked, the room asks for one tap and then plays in sync", async () => {
    const strict = await launchChromium({ autoplay: false });
    try {
      const contextC = await strict.newContext({ viewport: { width: 390, height: 844 } });
      await requireTapForAudio(contextC);
      await enableDebugHook(contextC);
      // Sign up through the API, not the form: a click on the site would count as the user's
      // activation and let Chromium start audio without the overlay.
      const signup = await contextC.request.post(`${stack.apiUrl}/auth/signup`, {
        data: { username: `carol_${suffix}`, password: "correct horse battery", displayName: "<i>Carol</i>" },
        headers: { origin: stack.webUrl },
      });
      expect(signup.status()).toBe(201);
      const c = await contextC.newPage();
      c.setDefaultTimeout(10_000);
      recordConsole(c, "listen-c");
      await c.goto(`${stack.webUrl}/dashboard/room/${roomCode}`);
      const overlay = c.locator('[data-testid="unlock-audio"]');
      await overlay.waitFor().catch(async (error: unknown) => {
        throw new Error(`no overlay; C's player: ${JSON.stringify(await readPlayer(c))}`, { cause: error });
      });
      const { trackId } = (await readPlayer(a))!;
      expect((await readPlayer(c))?.renderedMs).toBeNull();
      await screenshot(c, "05-autoplay-blocked-overlay");
      await overlay.click();
      await waitForPlayer(c, "C playing after one tap", isPlaying(trackId!), SETTLE_TIMEOUT_MS);
      expect(await overlay.count()).toBe(0);
      // Display names are user input: the host sees the literal text, not markup.
      const carolRow = a.locator('[data-testid="participants"] li').filter({ hasText: "<i>Carol</i>" });
      await carolRow.waitFor();
      expect(await a.locator('[data-testid="participants"] i').count()).toBe(0);
      await contextC.close();
    } finally {
      await strict.close();
    }
  });

  it("both reconnect and play on when the sync server restarts mid-song", async () => {
    const { trackId } = (await readPlayer(a))!;
    await stack.stopSync();
    await Promise.all([
      waitForPlayer(a, "A notices the outage", (s) => s.connection !== "joined", SETTLE_TIMEOUT_MS),
      waitForPlayer(b, "B notices the outage", (s) => s.connection !== "joined", SETTLE_TIMEOUT_MS),
    ]);
    await screenshot(b, "03-guest-reconnecting-375px");
    await stack.startSync();
    await Promise.all([
      waitForPlayer(a, "A back and playing", isPlaying(trackId!), 30_000),
      waitForPlayer(b, "B back and playing", isPlaying(trackId!), 30_000),
    ]);
    await expectInSync("after sync server restart");
    await a.click('[data-testid="debug-toggle"]');
    await b.click('[data-testid="debug-toggle"]');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await screenshot(a, "04-host-debug-panel");
    await docScreenshot(b, "room-guest-phone");
    await screenshot(b, "04-guest-debug-panel-375px");
  });
});
