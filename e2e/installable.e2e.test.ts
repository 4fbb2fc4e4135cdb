import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRoom, isPlaying, joinByCode, recordConsole, signUp, waitForPlayer, type PlayerState } from "./harness/app.js";
import { enableDebugHook, launchChromium } from "./harness/browser.js";
import { startStack, type Stack } from "./harness/stack.js";

/*
 * Issue 18 part 4: what the operating system shows of the app. The web app manifest and its icons
 * (installable, also on the cross-origin isolated pages), and the room's Media Session: the lock
 * screen's title, artist, album and position, with play/pause/seek handlers only for a member who
 * may control the room.
 */

const SETTLE_TIMEOUT_MS = 15_000;

let stack: Stack;
let browser: Browser;
let owner: Page;
let listener: Page;

const suffix = Date.now().toString(36).slice(-5);
const playingAny = (s: PlayerState) => s.trackId !== null && isPlaying(s.trackId)(s);

/**
 * Records which Media Session actions the page has a handler for now, and keeps the handlers so
 * the test can press them as a lock screen would. The page's own calls go through unchanged.
 */
async function recordMediaActions(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const handlers: Record<string, ((details: object) => void) | null> = {};
    (window as unknown as { __mediaActions: typeof handlers }).__mediaActions = handlers;
    const session = navigator.mediaSession;
    const native = session.setActionHandler.bind(session);
    session.setActionHandler = (action, handler) => {
      native(action, handler);
      handlers[action] = handler as ((details: object) => void) | null;
    };
  });
}

async function newPage(label: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  await enableDebugHook(context);
  await recordMediaActions(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  recordConsole(page, `installable-${label}`);
  return page;
}

/** The PNG's width and height from its IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(1, 4).toString("ascii")).toBe("PNG");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const mediaSession = (page: Page) =>
  page.evaluate(() => {
    const { metadata, playbackState } = navigator.mediaSession;
    const handlers = (window as unknown as { __mediaActions: Record<string, unknown> }).__mediaActions;
    return {
      title: metadata?.title ?? null,
      artist: metadata?.artist ?? null,
      album: metadata?.album ?? null,
      artwork: metadata ? metadata.artwork.map((a) => a.src) : [],
      playbackState,
      actions: Object.keys(handlers).filter((action) => handlers[action] !== null).sort(),
    };
  });

beforeAll(async () => {
  stack = await startStack("installable");
  browser = await launchChromium();
  [owner, listener] = await Promise.all([newPage("owner"), newPage("listener")]);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

describe("web app manifest and icons (issue 18 part 4)", () => {
  it("[WM1] the manifest: name, start_url, standalone, colours, icons 192, 512 and maskable", async () => {
    const response = await fetch(`${stack.webUrl}/manifest.webmanifest`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/manifest+json");
    const manifest = (await response.json()) as Record<string, unknown> & { icons: { src: string; sizes: string; type: string; purpose?: string }[] };
    expect(manifest).toMatchObject({ name: "Sync Beats", short_name: "Sync Beats", start_url: "/dashboard", display: "standalone", theme_color: "#12121a", background_color: "#12121a" });
    expect(manifest.icons.map((i) => `${i.sizes} ${i.purpose ?? "any"}`)).toEqual(["192x192 any", "512x512 any", "512x512 maskable"]);
    for (const icon of manifest.icons) {
      const image = await fetch(new URL(icon.src, stack.webUrl));
      expect(image.status, icon.src).toBe(200);
      expect(image.headers.get("content-type")).toBe("image/png");
      const [width, height] = icon.sizes.split("x").map(Number);
      expect(pngSize(Buffer.from(await image.arrayBuffer())), icon.src).toEqual({ width, height });
    }
  });

  it("[WM1] every page links the manifest, an apple-touch-icon (180 px) and a theme-color, stays cross-origin isolated, and Chromium reads the manifest without errors", async () => {
    await owner.goto(`${stack.webUrl}/login`);
    const head = await owner.evaluate(() => ({
      manifest: document.querySelector<HTMLLinkElement>('link[rel="manifest"]')?.href ?? null,
      appleIcon: document.querySelector<HTMLLinkElement>('link[rel="apple-touch-icon"]')?.href ?? null,
      themeColor: document.querySelector<HTMLMetaElement>('meta[name="theme-color"]')?.content ?? null,
      isolated: crossOriginIsolated,
    }));
    expect(head).toMatchObject({ manifest: `${stack.webUrl}/manifest.webmanifest`, themeColor: "#12121a", isolated: true });
    const apple = await fetch(head.appleIcon!);
    expect(apple.status).toBe(200);
    expect(apple.headers.get("content-type")).toBe("image/png");
    expect(pngSize(Buffer.from(await apple.arrayBuffer()))).toEqual({ width: 180, height: 180 });

    const cdp = await owner.context().newCDPSession(owner);
    const parsed = (await cdp.send("Page.getAppManifest")) as { url: string; errors: { message: string }[] };
    expect(parsed.url).toBe(`${stack.webUrl}/manifest.webmanifest`);
    expect(parsed.errors).toEqual([]);
  });
});

describe("Media Session on the room page (issue 18 part 4)", () => {
  let roomCode = "";
  let title = "";

  it("[MS1] [MS2] the owner's lock screen shows the playing track (title, artist, room as album, icon), with play/pause/seek handlers", async () => {
    await signUp(owner, stack.webUrl, `owner_${suffix}`, "Ola");
    roomCode = await createRoom(owner, "Lock screen party");
    const first = owner.locator('[data-testid="room-tracks"] li').first();
    title = (await first.locator('[data-testid="track-title"]').textContent()) ?? "";
    await first.locator('[data-testid="play-track"]').click();
    await waitForPlayer(owner, "owner playing", playingAny, SETTLE_TIMEOUT_MS);
    await expect.poll(async () => (await mediaSession(owner)).title).toBe(title);
    const session = await mediaSession(owner);
    expect(session).toMatchObject({ artist: "Sync Beats demo", album: "Lock screen party", playbackState: "playing" });
    expect(session.artwork).toContain(`${stack.webUrl}/icons/icon-512.png`);
    expect(session.actions).toEqual(["pause", "play", "seekbackward", "seekforward", "seekto"]);
  });

  it("[MS2] a lock-screen pause and seek reach the room", async () => {
    await owner.evaluate(() => (window as unknown as { __mediaActions: Record<string, (d: object) => void> }).__mediaActions.pause!({ action: "pause" }));
    await waitForPlayer(owner, "paused from the lock screen", (s) => s.isPaused, SETTLE_TIMEOUT_MS);
    await expect.poll(async () => (await mediaSession(owner)).playbackState).toBe("paused");
    await owner.evaluate(() => (window as unknown as { __mediaActions: Record<string, (d: object) => void> }).__mediaActions.seekto!({ action: "seekto", seekTime: 7 }));
    await waitForPlayer(owner, "seeked from the lock screen", (s) => Math.abs(s.positionMs - 7_000) < 50, SETTLE_TIMEOUT_MS);
    await owner.evaluate(() => (window as unknown as { __mediaActions: Record<string, (d: object) => void> }).__mediaActions.play!({ action: "play" }));
    await waitForPlayer(owner, "resumed from the lock screen", playingAny, SETTLE_TIMEOUT_MS);
  });

  it("[MS1] [MS2] a listener who may not control sees the same track and gets no action handlers", async () => {
    await signUp(listener, stack.webUrl, `listener_${suffix}`, "Lis");
    await joinByCode(listener, stack.webUrl, roomCode);
    await waitForPlayer(listener, "listener playing", playingAny, SETTLE_TIMEOUT_MS);
    // The track the page shows (the room may have moved on to the next one meanwhile).
    const shown = () => listener.locator('[data-testid="now-playing"] [data-testid="track-title"]').textContent();
    await expect.poll(async () => (await mediaSession(listener)).title === (await shown())).toBe(true);
    expect([title, "Metronome 120 BPM"]).toContain(await shown());
    expect(await mediaSession(listener)).toMatchObject({ album: "Lock screen party", playbackState: "playing", actions: [] });
  });
});
