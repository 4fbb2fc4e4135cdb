import type { Page } from "puppeteer-core";
import { within as withinMs } from "../../bench/sync/page-call.js";
import type { ScriptedPage } from "./scripted-page.js";

/*
 * The app's forms driven from a puppeteer page (Firefox). The Playwright twins in app.ts use
 * Playwright's auto-waiting API, which puppeteer does not share.
 */

/** `action` with a deadline: a BiDi command that never answers fails with its name instead of hanging. */
const within = <T>(what: string, action: Promise<T>, ms = 15_000): Promise<T> => withinMs(action, ms, what);

/** Fills through a locator: it waits until the input is visible, enabled and stable (hydrated). */
function fill(page: Page, selector: string, value: string): Promise<void> {
  return within(`fill ${selector}`, page.locator(selector).fill(value));
}

function click(page: Page, selector: string): Promise<void> {
  return within(`click ${selector}`, page.locator(selector).click());
}

/** Resolves once the page's URL is `url` (Next navigates without loading a new document). */
export async function waitForUrl(page: Page, url: string | RegExp, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(typeof url === "string" ? page.url() === url : url.test(page.url()))) {
    if (Date.now() > deadline) throw new Error(`not at ${String(url)} after ${timeoutMs} ms: at ${page.url()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function signUpInFirefox(page: Page, webUrl: string, username: string, displayName: string): Promise<void> {
  await within("open /signup", page.goto(`${webUrl}/signup`), 30_000);
  await fill(page, "#username", username);
  await fill(page, "#displayName", displayName);
  await fill(page, "#password", "correct horse battery");
  await click(page, '[data-testid="auth-submit"]');
  await waitForUrl(page, `${webUrl}/dashboard`);
}

/** Types the code into the dashboard's join form (already open) and submits it. */
export async function joinByCodeInFirefox(page: Page, webUrl: string, code: string): Promise<void> {
  await fill(page, "#join-code", code.toLowerCase());
  await click(page, '[data-testid="join-room"]');
  await waitForUrl(page, `${webUrl}/dashboard/room/${code}`);
}

/** True when the element `selector` matches is disabled. */
export function isDisabledInFirefox(page: Page, selector: string): Promise<boolean> {
  return page.$eval(selector, (element) => (element as HTMLButtonElement).disabled);
}

/**
 * `page` for the engine-neutral helpers (`readPlayer`, `waitForPlayer`…), each script with a
 * deadline: over BiDi an evaluate sent while Next swaps the page's content was seen to never
 * answer, and `waitForPlayer` would wait on it forever instead of polling again.
 */
export function scriptedFirefoxPage(page: Page): ScriptedPage {
  // puppeteer's own signature maps handles in its arguments; these helpers pass plain JSON.
  const run = page.evaluate.bind(page) as unknown as (fn: unknown, arg?: unknown) => Promise<unknown>;
  const evaluate = (fn: unknown, arg?: unknown) => within("evaluate", run(fn, arg), 5_000);
  return { evaluate: evaluate as ScriptedPage["evaluate"] };
}
