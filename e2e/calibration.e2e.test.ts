import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRoom, joinByCode, recordConsole, signUp } from "./harness/app.js";
import { enableDebugHook, launchChromium } from "./harness/browser.js";
import { startStack, type Stack } from "./harness/stack.js";

/*
 * Acoustic calibration through the room page in real Chromium: the host presses Calibrate and
 * measures with its own (test-driven) microphone, the listeners play their sweeps through their
 * engines, the host's page analyses the recording and the results come back to everyone. Here the
 * microphone hears nothing (a muted device, a closed door): every device must be reported not
 * heard, nobody's offset may change, and the pages must say so (CAL4, CAL8, CAL14, CAL15).
 */

let stack: Stack;
let browser: Browser;
let host: Page;
let listeners: Page[] = [];
let microphoneOpens: () => Promise<number>;

const suffix = Date.now().toString(36).slice(-5);

/** Replaces getUserMedia with a silent stream the page makes itself, and counts the calls and their constraints. */
async function silentMicrophone(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const calls: unknown[] = [];
    (window as unknown as { __micCalls: unknown[] }).__micCalls = calls;
    const devices = navigator.mediaDevices;
    if (!devices) return;
    devices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
      calls.push(constraints ?? null);
      const context = new AudioContext();
      const destination = context.createMediaStreamDestination();
      const silence = context.createConstantSource();
      silence.offset.value = 0;
      silence.connect(destination);
      silence.start();
      return destination.stream;
    };
  });
}

async function page(label: string, withMicrophone: boolean): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
  await enableDebugHook(context);
  if (withMicrophone) await silentMicrophone(context);
  const created = await context.newPage();
  created.setDefaultTimeout(15_000);
  recordConsole(created, `calibration-${label}`);
  return created;
}

const offsetOf = (p: Page) => p.evaluate(() => window.__syncBeats?.getSnapshot().stats.outputLatencyOffsetMs ?? null);

beforeAll(async () => {
  stack = await startStack("calibration");
  browser = await launchChromium();
  host = await page("host", true);
  listeners = [await page("laptop", false), await page("speaker", false)];
  await signUp(host, stack.webUrl, `calhost_${suffix}`, "Host");
  const code = await createRoom(host, "Calibration room");
  for (const [index, listener] of listeners.entries()) {
    await signUp(listener, stack.webUrl, `cal${index}_${suffix}`, index === 0 ? "Laptop" : "Speaker");
    await joinByCode(listener, stack.webUrl, code);
  }
  await host.waitForFunction(() => window.__syncBeats?.getSnapshot().participants.length === 3);
  microphoneOpens = () => host.evaluate(() => (window as unknown as { __micCalls: unknown[] }).__micCalls.length);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

describe("room calibration in real Chromium", () => {
  it("[CAL8][CAL14] a microphone that hears nothing: every device reported not heard, no offset changed, the pages say so", async () => {
    const before = await Promise.all(listeners.map(offsetOf));
    expect(await listeners[0]!.locator('[data-testid="calibrate"]').count()).toBe(0);
    const button = host.locator('[data-testid="calibrate"]');
    await expect.poll(() => button.isEnabled(), { timeout: 15_000 }).toBe(true);
    await button.click();
    await host.locator('[data-testid="calibration-progress"]').filter({ hasText: "Listening to 2 devices" }).waitFor();
    const results = host.locator('[data-testid="calibration-result"]');
    await results.first().waitFor({ timeout: 30_000 });
    expect(await results.count()).toBe(2);
    for (const heard of await results.evaluateAll((items) => items.map((item) => item.getAttribute("data-heard")))) expect(heard).toBe("false");
    const texts = await results.allTextContents();
    expect(texts.some((text) => text.includes("Laptop"))).toBe(true);
    for (const text of texts) expect(text).toContain("not heard");
    for (const text of texts) expect(text).toContain("offset left unchanged");
    expect(await microphoneOpens()).toBe(1);
    const constraints = await host.evaluate(() => (window as unknown as { __micCalls: unknown[] }).__micCalls[0]);
    expect(constraints).toMatchObject({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
    for (const listener of listeners) {
      await listener.locator('[data-testid="calibration-progress"]').filter({ hasText: "Calibration finished." }).waitFor();
    }
    expect(await Promise.all(listeners.map(offsetOf))).toEqual(before);
  }, 90_000);
});
