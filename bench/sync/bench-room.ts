/**
 * The browsers of a benchmark room (issue 14): `--browsers` chosen against what is installed, one
 * browser per engine, each client given its engine, and what each engine's pages get (isolation,
 * timer step, audio device), printed before the runs.
 */
import { existsSync } from "node:fs";
import { chooseEngines, engineOfClients, type BenchEngine } from "./engine-choice.js";
import { launchChromiumBench, launchFirefoxBench, type BenchBrowser } from "./engines.js";
import { readIsolation } from "./isolation.js";
import { FIREFOX_PATH, firefoxAvailability } from "./firefox.js";

export interface BenchRoom {
  /** One browser per engine, in `--browsers` order. */
  readonly browsers: readonly BenchBrowser[];
  /** The engine of each client. */
  readonly engines: readonly BenchEngine[];
  browserFor(client: number): BenchBrowser;
  /** Why an engine was left out by default (Firefox not installed, no PulseAudio), or null. */
  readonly note: string | null;
  close(): Promise<void>;
}

export interface BenchRoomOptions {
  /** `--browsers`, e.g. "chromium,firefox"; undefined: both when both can run. */
  readonly requested: string | undefined;
  readonly clients: number;
  readonly chromiumPath: string;
  /** Chromium through PulseAudio instead of its fake device (`--chromium-pulse`). */
  readonly chromiumPulse: boolean;
}

export async function launchBenchRoom(options: BenchRoomOptions): Promise<BenchRoom> {
  const firefox = firefoxAvailability();
  const choice = chooseEngines(options.requested, {
    chromium: existsSync(options.chromiumPath) ? { available: true } : { available: false, reason: `no Chromium at ${options.chromiumPath} (--chromium)` },
    firefox: firefox.available ? { available: true } : { available: false, reason: firefox.reason },
  });
  if ("error" in choice) throw new Error(choice.error);
  const browsers: BenchBrowser[] = [];
  try {
    for (const engine of choice.engines) {
      if (engine === "chromium") browsers.push(await launchChromiumBench(options.chromiumPath, options.chromiumPulse));
      else if (firefox.available) browsers.push(await launchFirefoxBench(firefox.pulseServer));
    }
  } catch (error) {
    await Promise.all(browsers.map((b) => b.close().catch(() => undefined)));
    throw error;
  }
  const engines = engineOfClients(options.clients, choice.engines);
  const byEngine = new Map(browsers.map((b) => [b.engine, b]));
  return {
    browsers,
    engines,
    browserFor: (client) => byEngine.get(engines[client]!)!,
    note: choice.note,
    close: async () => void (await Promise.all(browsers.map((b) => b.close().catch(() => undefined)))),
  };
}

/** One line per engine: its clients, whether its pages are cross-origin isolated, its timer step, its audio device. */
export async function describeBenchRoom(room: BenchRoom, url: string, initScript: string): Promise<string[]> {
  const lines: string[] = [];
  for (const browser of room.browsers) {
    const page = await browser.openPage(url, initScript, () => undefined);
    try {
      const { isolated, timerStepMs } = await readIsolation(page);
      const clients = room.engines.flatMap((e, i) => (e === browser.engine ? [`c${i}`] : []));
      const where = browser.engine === "firefox" ? ` (${FIREFOX_PATH})` : "";
      lines.push(
        `${browser.engine}${where}: clients ${clients.join(" ") || "none"}; cross-origin isolated ${isolated}; performance.now() step ${timerStepMs.toFixed(3)} ms; audio: ${browser.audioDevice}`,
      );
    } finally {
      await page.close();
    }
  }
  return lines;
}
