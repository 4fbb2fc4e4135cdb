import type { Page } from "puppeteer-core";

/*
 * The app's forms driven from a puppeteer page (Firefox). The Playwright twins in app.ts use
 * Playwright's auto-waiting API, which puppeteer does not share.
 */

async function fill(page: Page, selector: string, value: string): Promise<void> {
  await page.waitForSelector(selector);
  await page.$eval(selector, (element) => ((element as HTMLInputElement).value = ""));
  await page.type(selector, value);
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
  await page.goto(`${webUrl}/signup`);
  await fill(page, "#username", username);
  await fill(page, "#displayName", displayName);
  await fill(page, "#password", "correct horse battery");
  await page.click('[data-testid="auth-submit"]');
  await waitForUrl(page, `${webUrl}/dashboard`);
}

/** Types the code into the dashboard's join form (already open) and submits it. */
export async function joinByCodeInFirefox(page: Page, webUrl: string, code: string): Promise<void> {
  await fill(page, "#join-code", code.toLowerCase());
  await page.click('[data-testid="join-room"]');
  await waitForUrl(page, `${webUrl}/dashboard/room/${code}`);
}

/** True when the element `selector` matches is disabled. */
export function isDisabledInFirefox(page: Page, selector: string): Promise<boolean> {
  return page.$eval(selector, (element) => (element as HTMLButtonElement).disabled);
}
