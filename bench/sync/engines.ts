/**
 * The browsers a benchmark room mixes (issue 14), behind one interface so a run never asks which
 * engine a page is in:
 *
 * - Chromium over Playwright, on its steady fake headless audio device (`browser.ts`: pointed at
 *   no PulseAudio server), or through PulseAudio with `--chromium-pulse`;
 * - Firefox ESR over puppeteer / WebDriver BiDi, through PulseAudio's null sink: headless Firefox
 *   has no other output (without a sound server its AudioContext never runs).
 */
import type { Browser as PlaywrightBrowser } from "playwright-core";
import type { Browser as PuppeteerBrowser } from "puppeteer-core";
import { launchBrowser, svgToPng } from "./browser.js";
import type { BenchEngine } from "./engine-choice.js";
import { launchFirefox } from "./firefox.js";

/** A page in its own browser context (own storage, own init script). */
export interface EnginePage {
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  evaluate<R>(fn: () => R | Promise<R>): Promise<R>;
  /** Closes the page's context. */
  close(): Promise<void>;
}

export interface BenchBrowser {
  readonly engine: BenchEngine;
  /** Which audio device the engine plays through, for the report. */
  readonly audioDevice: string;
  /** Opens `url` in a fresh context whose every document runs `initScript` first; console errors and warnings go to `log`. */
  openPage(url: string, initScript: string, log: (line: string) => void): Promise<EnginePage>;
  /** Renders `svg` (width x height) to a PNG file. */
  renderPng(svg: string, width: number, height: number, path: string): Promise<void>;
  close(): Promise<void>;
}

export async function launchChromiumBench(executablePath: string, throughPulse: boolean): Promise<BenchBrowser> {
  const browser: PlaywrightBrowser = await launchBrowser(executablePath, throughPulse);
  return {
    engine: "chromium",
    audioDevice: throughPulse ? "PulseAudio (on purpose, --chromium-pulse)" : "fake headless device",
    async openPage(url, initScript, log) {
      const context = await browser.newContext();
      await context.addInitScript({ content: initScript });
      const page = await context.newPage();
      page.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warning") log(message.text());
      });
      page.on("pageerror", (error) => log(String(error)));
      await page.goto(url);
      return { evaluate: page.evaluate.bind(page) as EnginePage["evaluate"], close: () => context.close() };
    },
    renderPng: (svg, width, height, path) => svgToPng(browser, svg, width, height, path),
    close: () => browser.close(),
  };
}

export async function launchFirefoxBench(pulseServer: string): Promise<BenchBrowser> {
  const browser: PuppeteerBrowser = await launchFirefox(pulseServer);
  return {
    engine: "firefox",
    audioDevice: `PulseAudio null sink (${pulseServer})`,
    async openPage(url, initScript, log) {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      // Over BiDi this is a preload script: it runs before the document's own scripts, as
      // Playwright's addInitScript does in Chromium.
      await page.evaluateOnNewDocument(initScript);
      page.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warn") log(message.text());
      });
      page.on("pageerror", (error) => log(String(error)));
      await page.goto(url);
      // puppeteer's own signature maps handles in its arguments; the benchmark passes plain JSON.
      const evaluate = page.evaluate.bind(page) as unknown as EnginePage["evaluate"];
      return { evaluate, close: () => context.close() };
    },
    async renderPng(svg, width, height, path) {
      const page = await browser.newPage();
      try {
        await page.setViewport({ width, height });
        await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
        await page.screenshot({ path, clip: { x: 0, y: 0, width, height } });
      } finally {
        await page.close();
      }
    },
    close: () => browser.close(),
  };
}
