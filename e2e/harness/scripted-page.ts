/**
 * What the harness needs of a page to run scripts in it: Playwright's `Page` (Chromium) and
 * puppeteer's `Page` (Firefox over WebDriver BiDi) both fit, so one helper serves both engines.
 */
export interface ScriptedPage {
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  evaluate<R>(fn: () => R | Promise<R>): Promise<R>;
}
