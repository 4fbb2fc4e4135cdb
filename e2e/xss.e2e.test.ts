import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRoom, joinByCode, recordConsole, signUp } from "./harness/app.js";
import { launchChromium } from "./harness/browser.js";
import { findInjections, recordCspViolations } from "./harness/security.js";
import { startStack, type Stack } from "./harness/stack.js";
import { sineWav } from "./harness/wav.js";

/*
 * Every user-controlled string the web app shows (display names, room names, track titles and
 * artists from tags and from file names, the room code in the URL, the login page's `next`) is an
 * XSS payload here. Each page that renders one is checked, for the owner and for a guest: the
 * payload must be on screen as literal text, nothing it would create may be in the DOM, no payload
 * may have run (`window.__xss`), and the page's Content-Security-Policy must have blocked nothing
 * of the app itself.
 */

const PAYLOAD = {
  img: `<img src=x onerror="window.__xss=1">`,
  script: `<script>window.__xss=2</script>`,
  svg: `"><svg onload=window.__xss=3>`,
  url: "javascript:window.__xss=4",
};

const suffix = Date.now().toString(36).slice(-5);
const OWNER_NAME = PAYLOAD.img;
const GUEST_NAME = PAYLOAD.svg;
const ROOM_NAME = `${PAYLOAD.url} ${PAYLOAD.script}`;
/** From the file's RIFF INFO tags. */
const TAGGED = { title: PAYLOAD.script, artist: PAYLOAD.img };
/** No tags: the API falls back to the file name (a name cannot hold `/`, so no `</script>`). */
const FILE_NAMED_TITLE = `${PAYLOAD.svg} ${PAYLOAD.url}`;

let stack: Stack;
let browser: Browser;
let owner: Page;
let guest: Page;
let roomCode = "";
let taggedTrackId = "";

async function newUser(label: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  await recordCspViolations(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  recordConsole(page, `xss-${label}`);
  return { context, page };
}

/** Nothing injected, nothing ran, nothing of the app blocked by the CSP. */
async function expectClean(page: Page, where: string): Promise<void> {
  expect(await findInjections(page), where).toEqual({ xss: undefined, injected: [], scriptUrls: [], cspViolations: [] });
}

const text = (page: Page, selector: string) => page.locator(selector).first().textContent();

beforeAll(async () => {
  stack = await startStack("xss");
  browser = await launchChromium();
  owner = (await newUser("owner")).page;
  guest = (await newUser("guest")).page;

  // Everything goes in through the UI, as an attacker with an account would put it.
  await signUp(owner, stack.webUrl, `owner_${suffix}`, OWNER_NAME);
  await signUp(guest, stack.webUrl, `guest_${suffix}`, GUEST_NAME);
  await owner.goto(`${stack.webUrl}/dashboard/library`);
  for (const [fileName, wav] of [
    ["tagged.wav", sineWav({ seconds: 8, frequency: 330, ...TAGGED })],
    [`${FILE_NAMED_TITLE}.wav`, sineWav({ seconds: 8, frequency: 550 })],
  ] as const) {
    await owner.setInputFiles('[data-testid="upload-input"]', { name: fileName, mimeType: "audio/wav", buffer: wav });
    await owner.locator('[data-testid="upload-done"]', { hasText: fileName === "tagged.wav" ? TAGGED.title : FILE_NAMED_TITLE }).waitFor({ timeout: 20_000 });
  }
  await owner.goto(`${stack.webUrl}/dashboard`);
  roomCode = await createRoom(owner, ROOM_NAME);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

describe("XSS payloads in user input are shown as text in real Chromium", () => {
  it("[XSS-1] the owner's dashboard and top bar: display name and room name", async () => {
    await owner.goto(`${stack.webUrl}/dashboard`);
    const row = owner.locator(`[data-testid="my-rooms"] li[data-room-code="${roomCode}"]`);
    await row.waitFor();
    expect(await text(owner, "h1")).toBe(`Hi, ${OWNER_NAME}`);
    expect(await text(owner, '[data-testid="current-user"]')).toBe(OWNER_NAME);
    expect(await row.locator("a").textContent()).toBe(ROOM_NAME);
    expect(await row.locator("a").getAttribute("href")).toBe(`/dashboard/room/${roomCode}`);
    expect(await row.textContent()).toContain(`hosted by ${OWNER_NAME}`);
    await expectClean(owner, "owner dashboard");
  });

  it("[XSS-2] the library: titles and artists from tags and from the file name", async () => {
    await owner.goto(`${stack.webUrl}/dashboard/library`);
    const rows = owner.locator('[data-testid="track-list"] li');
    await rows.filter({ hasText: FILE_NAMED_TITLE }).waitFor();
    const tagged = rows.filter({ hasText: TAGGED.title });
    expect(await tagged.locator('[data-testid="track-title"]').textContent()).toBe(TAGGED.title);
    expect(await tagged.textContent()).toContain(TAGGED.artist);
    taggedTrackId = (await tagged.getAttribute("data-track-id")) ?? "";
    expect(taggedTrackId).not.toBe("");
    await expectClean(owner, "owner library");
  });

  it("[XSS-3] the guest's dashboard lists the room and its host as text; a link goes to the room only", async () => {
    await guest.goto(`${stack.webUrl}/dashboard`);
    const row = guest.locator(`[data-testid="public-rooms"] li[data-room-code="${roomCode}"]`);
    await row.waitFor();
    expect(await row.locator("a").textContent()).toBe(ROOM_NAME);
    expect(await row.textContent()).toContain(`hosted by ${OWNER_NAME}`);
    await row.locator("a").click();
    await guest.waitForURL(`${stack.webUrl}/dashboard/room/${roomCode}`);
    await expectClean(guest, "guest after following the room link");
  });

  it("[XSS-4] the room page for owner and guest: name, document title, participants, now playing, picker, debug panel", async () => {
    await owner.goto(`${stack.webUrl}/dashboard/room/${roomCode}`);
    await owner.locator(`[data-testid="room-tracks"] li[data-track-id="${taggedTrackId}"] [data-testid="play-track"]`).click();
    await guest.goto(`${stack.webUrl}/dashboard`);
    await joinByCode(guest, stack.webUrl, roomCode);

    for (const [who, page] of [["owner", owner], ["guest", guest]] as const) {
      const participants = page.locator('[data-testid="participants"] li');
      await expect.poll(() => participants.count(), { timeout: 15_000 }).toBe(2);
      await page.locator('[data-testid="track-title"]', { hasText: TAGGED.title }).first().waitFor({ timeout: 15_000 });
      expect(await text(page, '[data-testid="room-name"]')).toBe(ROOM_NAME);
      expect(await page.title()).toBe(`${ROOM_NAME} · Sync Beats`);
      expect(await participants.allTextContents()).toEqual(
        expect.arrayContaining([expect.stringContaining(OWNER_NAME), expect.stringContaining(GUEST_NAME)]),
      );
      expect(await text(page, '[data-testid="now-playing"] [data-testid="track-title"]')).toBe(TAGGED.title);
      expect(await text(page, '[data-testid="track-artist"]')).toBe(TAGGED.artist);
      await page.click('[data-testid="debug-toggle"]');
      expect(await text(page, '[data-testid="stat-track"]')).toBe(TAGGED.title);
      await expectClean(page, `${who} room page`);
    }
    // Only the owner's library holds the uploads; the guest saw the title through the sync server.
    const picker = owner.locator('[data-testid="room-tracks"]');
    expect(await picker.textContent()).toContain(FILE_NAMED_TITLE);
    expect(await picker.locator('[data-testid="play-track"]').first().getAttribute("aria-label")).toMatch(/^Play /);
  });

  it("[XSS-5] the guest's library and a room code in the URL render as text", async () => {
    // Leaving the room in-app (no reload) hands the tab title back to the next page.
    await guest.click('nav[aria-label="Main"] a[href="/dashboard/library"]');
    await guest.waitForURL(`${stack.webUrl}/dashboard/library`);
    await guest.locator('[data-testid="track-list"] li').first().waitFor();
    expect(await guest.title()).not.toContain(ROOM_NAME);
    expect(await text(guest, '[data-testid="current-user"]')).toBe(GUEST_NAME);
    await expectClean(guest, "guest library");

    await guest.goto(`${stack.webUrl}/dashboard/room/${encodeURIComponent(PAYLOAD.img)}`);
    await guest.locator('[data-testid="room-not-found"]').waitFor();
    await expectClean(guest, "room page with a payload as its code");
  });

  it("[XSS-6] the login page's ?next= never leaves the site or runs script", async () => {
    const { context, page } = await newUser("next");
    try {
      for (const next of [PAYLOAD.url, "//evil.example/", "/\\evil.example/", "/\t/evil.example/", "https://evil.example/"]) {
        await context.clearCookies();
        await page.goto(`${stack.webUrl}/login?next=${encodeURIComponent(next)}`);
        await page.fill("#username", `guest_${suffix}`);
        await page.fill("#password", "correct horse battery");
        await page.click('[data-testid="auth-submit"]');
        // A redirect off the site ends on Chromium's error page (the host does not resolve).
        await page.waitForURL((url) => !url.pathname.startsWith("/login")).catch(() => undefined);
        expect(page.url(), `next=${JSON.stringify(next)}`).toMatch(new RegExp(`^${stack.webUrl}/`));
        await expectClean(page, `after login with next=${next}`);
      }
    } finally {
      await context.close();
    }
  });
});

/** Chat payloads [CH3]: each must render as exactly its (trimmed) text, inert. */
const CHAT_PAYLOADS = [
  PAYLOAD.script,
  PAYLOAD.img,
  PAYLOAD.url,
  "&lt;b&gt;not bold&lt;/b&gt; &amp;amp; &#60;i&#62;",
  "\u202Eexe.txt\u202C reversed? <b>x</b>",
  `https://evil.example/${"W".repeat(300)}`,
];

describe("XSS payloads in the room chat are shown as text in real Chromium", () => {
  it("[XSS-7][CH3] script tags, javascript: URLs, HTML entities, an RTL override and a very long word render inert", async () => {
    for (const page of [owner, guest]) {
      await page.goto(`${stack.webUrl}/dashboard/room/${roomCode}`);
      await page.locator('[data-testid="connection-status"][data-connection="joined"]').waitFor({ timeout: 15_000 });
    }
    // Split between the two senders: each stays inside the chat rate limit (5 at once, CH7).
    for (const [index, payload] of CHAT_PAYLOADS.entries()) {
      const page = index % 2 === 0 ? owner : guest;
      await page.fill('[data-testid="chat-input"]', payload);
      await page.press('[data-testid="chat-input"]', "Enter");
      await expect.poll(() => page.inputValue('[data-testid="chat-input"]')).toBe("");
    }
    for (const [who, page] of [["owner", owner], ["guest", guest]] as const) {
      const texts = page.locator('[data-testid="chat-text"]');
      await expect.poll(() => texts.count(), { timeout: 10_000 }).toBe(CHAT_PAYLOADS.length);
      expect(await texts.allTextContents()).toEqual(CHAT_PAYLOADS);
      const authors = await page.locator('[data-testid="chat-author"]').allTextContents();
      expect(authors).toEqual(CHAT_PAYLOADS.map((_, index) => (index % 2 === 0 ? OWNER_NAME : GUEST_NAME)));
      // Nothing became markup: no links, images, scripts or bold inside the chat.
      expect(await page.locator('[data-testid="chat-messages"] :is(a, img, script, svg, b, i)').count()).toBe(0);
      // The very long word wraps inside the panel instead of widening the page.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${who}: horizontal overflow`).toBeLessThanOrEqual(0);
      await expectClean(page, `${who} room chat`);
    }
  });
});

describe("the web app's Content-Security-Policy in real Chromium", () => {
  it("[CSP-1] every page gets its own nonce policy, and every script Next sends carries that nonce", async () => {
    const nonces = new Set<string>();
    const paths = ["/login", "/dashboard", "/dashboard/library", `/dashboard/room/${roomCode}`];
    for (const path of paths) {
      const response = await owner.goto(`${stack.webUrl}${path}`);
      if (!response) throw new Error(`no response for ${path}`);
      const policy = response.headers()["content-security-policy"] ?? "";
      const scriptSrc = policy.split("; ").find((directive) => directive.startsWith("script-src ")) ?? "";
      expect(scriptSrc, path).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/]{22}==' 'strict-dynamic'$/);
      const nonce = /'nonce-([^']+)'/.exec(scriptSrc)![1]!;
      nonces.add(nonce);
      const html = await response.text();
      const scriptTags = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scriptTags.length, path).toBeGreaterThan(0);
      expect(scriptTags.filter((tag) => !tag.includes(` nonce="${nonce}"`)), path).toEqual([]);
      await owner.locator("main").first().waitFor();
      await expectClean(owner, path);
    }
    expect(nonces.size).toBe(paths.length);
  });

  it("[CSP-2] markup that got past React could not run: an inline event handler is blocked", async () => {
    await owner.goto(`${stack.webUrl}/dashboard`);
    await owner.evaluate(() => {
      document.body.insertAdjacentHTML("beforeend", `<img src="/no-such-image" onerror="window.__cspProbe=1">`);
    });
    const violations = () => owner.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
    await expect.poll(violations).toEqual([expect.stringMatching(/^script-src-attr blocked inline/)]);
    expect(await owner.evaluate(() => (window as unknown as { __cspProbe?: number }).__cspProbe)).toBeUndefined();
  });
});
