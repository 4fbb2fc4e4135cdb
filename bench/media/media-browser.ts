/**
 * bench:media's browsers: Chromium (Playwright) or Firefox ESR (puppeteer over WebDriver BiDi,
 * through PulseAudio), each on a link — Chromium's own CDP throttle, the throttle proxy
 * (throttle-proxy.ts: the only one Firefox has) or none — behind one interface, so a row never
 * asks which engine or link it runs on.
 */
import { readdirSync, readFileSync } from "node:fs";
import type { Browser as PlaywrightBrowser } from "playwright-core";
import type { Browser as PuppeteerBrowser } from "puppeteer-core";
import { launchBrowser } from "../sync/browser.js";
import type { EnginePage } from "../sync/engines.js";
import { launchFirefox } from "../sync/firefox.js";
import { callInPage, within } from "../sync/page-call.js";
import type { TapData } from "../sync/tap-init.js";
import type { MediaPageApi } from "./page.js";

/** 4 Mbit/s each way, 50 ms latency (the throttled link), as CDP emulates it. */
export const THROTTLE = { offline: false, latency: 50, downloadThroughput: 4_000_000 / 8, uploadThroughput: 4_000_000 / 8 };

export type MediaEngine = "chromium" | "firefox";
/** How a page's link is throttled: by CDP inside Chromium, by the throttle proxy, or not at all. */
export type LinkKind = "cdp" | "proxy" | "none";

/**
 * A bench page alone in its browser context. Its calls go through bench/sync's page-call.ts: over
 * BiDi an evaluate's answer is now and then lost, and a plain evaluate then waits 180 s and fails.
 */
export interface MediaPage {
  /** Calls `window.media[name](...args)` in the page (page.ts). */
  call<K extends keyof MediaPageApi>(name: K, ...args: Parameters<MediaPageApi[K]>): Promise<Awaited<ReturnType<MediaPageApi[K]>>>;
  /** What the page's tap recorded (one JSON string over the wire: BiDi sends each number as its own value). */
  collectTap(): Promise<TapData>;
  /** Resident memory of the engine's content processes, bytes; in Chromium after a forced GC. */
  contentMemoryBytes(): Promise<number>;
  /** Closes the page's context. */
  close(): Promise<void>;
}

export interface MediaBrowser {
  readonly engine: MediaEngine;
  readonly link: LinkKind;
  /** For row names: "Chromium, CDP throttle". */
  readonly label: string;
  /** Where pages open and files are fetched from: the page host, or the throttle proxy in front of it. */
  readonly origin: string;
  /** A fresh page at `origin` running `initScript`, its tap ready. */
  openPage(initScript: string): Promise<MediaPage>;
  close(): Promise<void>;
}

const LINK_LABEL: Record<LinkKind, string> = { cdp: "CDP throttle", proxy: "throttle proxy", none: "no throttle" };

const rssOf = (pid: number) => {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
  } catch {
    return 0; // the process ended between listing and reading
  }
};

/** No call into a bench page takes longer (ms): the slowest, the whole-file baseline, gives up after 90 s. */
const CALL_TIMEOUT_MS = 120_000;

/** `target.method(...args)` in `page`, its JSON answer parsed (NaN travels as "NaN"). */
async function callJson<T>(page: EnginePage, label: string, target: "media" | "__benchTap", method: string, args: readonly unknown[]): Promise<T> {
  const text = await callInPage(page, target, method, args, { timeoutMs: CALL_TIMEOUT_MS, label, onRetry: (line) => console.log(`  ${line}`) });
  return (text === undefined ? undefined : JSON.parse(text, (_, v: unknown) => (v === "NaN" ? Number.NaN : v))) as T;
}

/** The calls of a page that `enginePage` drives, `label` naming it in retries and errors. */
async function mediaPage(enginePage: EnginePage, label: string, contentMemoryBytes: () => Promise<number>): Promise<MediaPage> {
  await callJson(enginePage, label, "__benchTap", "ready", []);
  return {
    call: (name, ...args) => callJson(enginePage, label, "media", name, args),
    async collectTap() {
      const tap = await callJson<TapData | null>(enginePage, label, "__benchTap", "collect", []);
      if (!tap) throw new Error(`${label}: the page has no tap`);
      return tap;
    },
    contentMemoryBytes,
    // A page whose BiDi answers were lost may not answer its close either: it is left behind.
    close: () => within(enginePage.close(), 15_000, `${label} close`).catch((error: unknown) => console.log(`  ${String(error)}`)),
  };
}

/**
 * `measure` once more if it fails (it opens its own page): over BiDi a page now and then stops
 * answering altogether (both of page-call.ts's tries lost, seen at load 6–10), and one such page
 * must not end a half-hour run.
 */
export async function retriedOnce<T>(what: string, measure: () => Promise<T>): Promise<T> {
  try {
    return await measure();
  } catch (error) {
    console.log(`  ${what}: ${String(error).slice(0, 200)}; once more on a fresh page`);
    return measure();
  }
}

/** Chromium's renderer processes' RSS (CDP SystemInfo + /proc). */
async function rendererRss(browser: PlaywrightBrowser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = (await cdp.send("SystemInfo.getProcessInfo")) as { processInfo: { type: string; id: number }[] };
  await cdp.detach();
  return processInfo.filter((p) => p.type === "renderer").reduce((sum, p) => sum + rssOf(p.id), 0);
}

/** `browser` (already launched) on `link`, its pages at `origin`. */
export function chromiumMediaBrowser(browser: PlaywrightBrowser, origin: string, link: LinkKind): MediaBrowser {
  const label = `Chromium, ${LINK_LABEL[link]}`;
  return {
    engine: "chromium",
    link,
    label,
    origin,
    async openPage(initScript) {
      const context = await browser.newContext();
      await context.addInitScript({ content: initScript });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      if (link === "cdp") {
        // The network domain is on only to throttle: it must not keep response bodies for DevTools
        // (it would, in the renderer, and the page's memory figures would count them).
        await cdp.send("Network.enable", { maxTotalBufferSize: 1, maxResourceBufferSize: 1 });
        await cdp.send("Network.emulateNetworkConditions", THROTTLE);
      }
      await page.goto(`${origin}/`);
      const enginePage: EnginePage = { evaluate: page.evaluate.bind(page) as EnginePage["evaluate"], close: () => context.close() };
      return mediaPage(enginePage, label, async () => {
        await cdp.send("HeapProfiler.collectGarbage");
        return rendererRss(browser);
      });
    },
    close: () => browser.close(),
  };
}

export async function launchChromiumMedia(executablePath: string, origin: string, link: LinkKind): Promise<MediaBrowser> {
  return chromiumMediaBrowser(await launchBrowser(executablePath), origin, link);
}

/** Every Firefox content process under `rootPid` (tab, media decoding, utility: `-contentproc`), by /proc. */
function firefoxContentPids(rootPid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const descends = (pid: number): boolean => pid === rootPid || (pid > 1 && descends(parentOf.get(pid) ?? 0));
  const isContentProcess = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("-contentproc");
    } catch {
      return false;
    }
  };
  return [...parentOf.keys()].filter((pid) => pid !== rootPid && descends(pid) && isContentProcess(pid));
}

/**
 * Firefox ESR through `pulseServer`, its pages at `origin` (the throttle proxy). Its memory
 * figure is every content process's RSS from /proc, with no forced GC: Firefox offers none over
 * BiDi, and `measureUserAgentSpecificMemory` is Chromium's alone.
 */
export async function launchFirefoxMedia(pulseServer: string, origin: string): Promise<MediaBrowser> {
  const browser: PuppeteerBrowser = await launchFirefox(pulseServer);
  const rootPid = browser.process()?.pid;
  if (rootPid === undefined) throw new Error("Firefox was launched without a process to read memory from");
  const label = "Firefox, throttle proxy";
  return {
    engine: "firefox",
    link: "proxy",
    label,
    origin,
    async openPage(initScript) {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      // Over BiDi a preload script: it runs before the document's own scripts.
      await page.evaluateOnNewDocument(initScript);
      await page.goto(`${origin}/`);
      // puppeteer maps handles in its arguments; the benchmark passes plain JSON.
      const enginePage: EnginePage = { evaluate: page.evaluate.bind(page) as unknown as EnginePage["evaluate"], close: () => context.close() };
      return mediaPage(enginePage, label, async () => firefoxContentPids(rootPid).reduce((sum, pid) => sum + rssOf(pid), 0));
    },
    close: () => browser.close(),
  };
}
