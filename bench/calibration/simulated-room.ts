/**
 * A simulated room in real Chromium: one host page that measures with the simulated microphone
 * and one page per hidden acoustic path, all in one room of a running stack. Each calibration run
 * is started by the host's Calibrate button; its schedule and results are read off the host's
 * socket, and its ground truth (when each sweep really reached the microphone) off the taps.
 */
import type { CalibrationDeviceResult, ServerMessageOf } from "@sync-beats/protocol";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createRoom, joinByCode, recordConsole, signUp } from "../../e2e/harness/app.js";
import { enableDebugHook } from "../../e2e/harness/browser.js";
import { buildTapInitScript } from "../sync/browser-bundle.js";
import { nowMs, sleep } from "../sync/time.js";
import { installFakeMicrophone } from "./fake-microphone.js";
import { heardLateness, residuals, type HeardPage } from "./heard.js";
import type { AcousticPath, RoomSound } from "./microphone-mix.js";
import { RoomFeed, type RoomFeedStats } from "./room-feed.js";

export interface ListenerSpec {
  /** Display name, unique in the room: how the schedule names the page. */
  readonly name: string;
  readonly path: AcousticPath;
}

export interface SimulatedRoomSpec {
  readonly label: string;
  readonly listeners: readonly ListenerSpec[];
  readonly room: RoomSound;
  /** The simulated microphone's input latency: long enough for the feed to hear every page first. */
  readonly inputLatencyMs: number;
  /** What the microphone's track reports as its input latency (a real one is off by some ms). */
  readonly reportedInputLatencyMs: number;
  /** Progress lines (setting up a room of many pages takes a while). */
  readonly log?: (line: string) => void;
}

/** One calibration run as the room lived it. */
export interface RunOutcome {
  readonly schedule: ServerMessageOf<"calibration_schedule">;
  /** Each listener's result, by name. */
  readonly results: ReadonlyMap<string, CalibrationDeviceResult>;
  /** From the click to the results on the host's page, ms. */
  readonly durationMs: number;
  /** Wall-clock instant of the click (server instants are wall-clock instants on this one machine). */
  readonly clickedMs: number;
  /** Ground truth: each audible page's lateness at the microphone minus the median, by name (ms). */
  readonly heardResidualMs: ReadonlyMap<string, number>;
  readonly feed: RoomFeedStats;
}

type CalibrationFrame = ServerMessageOf<"calibration_schedule" | "calibration_done" | "calibration_abandoned">;

export class SimulatedRoom {
  private constructor(
    private readonly spec: SimulatedRoomSpec,
    readonly host: Page,
    readonly listeners: readonly Page[],
    private readonly feed: RoomFeed,
    private readonly frames: readonly CalibrationFrame[],
  ) {}

  /** Signs everyone up, gathers them in one room and starts the microphone feed. */
  static async open(browser: Browser, webUrl: string, spec: SimulatedRoomSpec): Promise<SimulatedRoom> {
    const tapScript = (await buildTapInitScript())(0);
    const suffix = Date.now().toString(36).slice(-5);
    const pageIn = async (name: string, measuring: boolean): Promise<Page> => {
      const context: BrowserContext = await browser.newContext({ viewport: { width: 1100, height: 900 }, bypassCSP: true });
      await enableDebugHook(context);
      await context.addInitScript(tapScript);
      if (measuring) await installFakeMicrophone(context, spec.reportedInputLatencyMs);
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      recordConsole(page, `${spec.label}-${name}`);
      return page;
    };
    const log = spec.log ?? (() => undefined);
    const host = await pageIn("host", true);
    const frames = recordCalibrationFrames(host);
    const listeners = await Promise.all(spec.listeners.map((listener) => pageIn(listener.name, false)));
    await signUp(host, webUrl, `host_${suffix}`, "Host");
    const code = await createRoom(host, `${spec.label} room`);
    for (const [index, listener] of spec.listeners.entries()) {
      await signUp(listeners[index]!, webUrl, `p${index}_${suffix}`, listener.name);
      await joinByCode(listeners[index]!, webUrl, code);
      log(`${listener.name} joined room ${code}`);
    }
    const everyone = spec.listeners.length + 1;
    await host.waitForFunction((count) => window.__syncBeats?.getSnapshot().participants.length === count, everyone, { timeout: 60_000 });
    for (const page of [host, ...listeners]) await page.waitForFunction(() => window.__syncBeats?.getSnapshot().audio === "running", undefined, { timeout: 20_000 });
    const feed = new RoomFeed(spec.listeners.map((listener, index) => ({ page: listeners[index]!, path: listener.path })), host, spec.room, spec.inputLatencyMs);
    log("every page's audio runs; starting the microphone feed");
    await feed.start();
    log("every page has a speaker-time map");
    return new SimulatedRoom(spec, host, listeners, feed, frames);
  }

  /** Each listener's output-latency offset now, ms. */
  offsets(): Promise<number[]> {
    return Promise.all(this.listeners.map((page) => page.evaluate(() => window.__syncBeats?.getSnapshot().stats.outputLatencyOffsetMs ?? Number.NaN)));
  }

  /** Presses Calibrate on the host's page and waits for the results. */
  async calibrate(timeoutMs = 90_000): Promise<RunOutcome> {
    const button = this.host.locator('[data-testid="calibrate"]');
    const seen = this.frames.length;
    const feedBefore = { ...this.feed.stats };
    for (let waited = 0; !(await button.isEnabled()); waited += 100) {
      if (waited > 30_000) throw new Error("the Calibrate button stayed disabled");
      await sleep(100);
    }
    const clickedMs = nowMs();
    this.spec.log?.("pressing Calibrate");
    // A click through the page itself: Playwright's actionability wait (visible, stable) was seen to
    // time out on the busy room page while the button was enabled.
    await button.evaluate((element) => (element as HTMLButtonElement).click());
    const frame = async <T extends CalibrationFrame["type"]>(type: T) => {
      for (let waited = 0; waited < timeoutMs; waited += 50) {
        const found = this.frames.slice(seen).find((f) => f.type === type || f.type === "calibration_abandoned");
        if (found?.type === "calibration_abandoned") throw new Error(`calibration abandoned: ${found.reason}`);
        if (found) return found as Extract<CalibrationFrame, { type: T }>;
        await sleep(50);
      }
      throw new Error(`no ${type} within ${timeoutMs} ms`);
    };
    const schedule = await frame("calibration_schedule");
    this.spec.log?.(`scheduled ${schedule.slots.length} slots`);
    const done = await frame("calibration_done");
    const durationMs = nowMs() - clickedMs;
    // The tap of the last sweeps reaches the feed a drain or two later.
    await sleep(500);
    const byConnection = new Map(schedule.slots.map((slot) => [slot.connectionId, slot.name]));
    const results = new Map(done.results.map((result) => [byConnection.get(result.connectionId) ?? result.connectionId, result]));
    return { schedule, results, durationMs, clickedMs, heardResidualMs: this.truth(schedule), feed: this.feedSince(feedBefore) };
  }

  /** The feed's counts since `before` (its lead: the most it was ever ahead). */
  private feedSince(before: RoomFeedStats): RoomFeedStats {
    const now = this.feed.stats;
    return {
      lateFrames: now.lateFrames - before.lateFrames,
      lateAudibleFrames: now.lateAudibleFrames - before.lateAudibleFrames,
      pushedFrames: now.pushedFrames - before.pushedFrames,
      maxLeadFrames: now.maxLeadFrames,
    };
  }

  async close(): Promise<void> {
    await this.feed.stop();
  }

  private truth(schedule: ServerMessageOf<"calibration_schedule">): Map<string, number> {
    const pages = new Map<string, HeardPage>();
    this.spec.listeners.forEach((listener, index) => {
      const render = this.feed.renders[index]!;
      if (render.clock?.ready) pages.set(listener.name, { samples: render.samples, clock: render.clock.history(), path: listener.path });
    });
    const slots = schedule.slots.map((slot) => ({ key: slot.name, atServerMs: slot.atServerMs }));
    return residuals(heardLateness(slots, pages, schedule.slotMs - schedule.earlyMs));
  }
}

/** The calibration frames `page` receives on its sockets, from now on (before it opens them). */
function recordCalibrationFrames(page: Page): CalibrationFrame[] {
  const frames: CalibrationFrame[] = [];
  page.on("websocket", (socket) =>
    socket.on("framereceived", ({ payload }) => {
      if (typeof payload !== "string" || !payload.includes('"calibration_')) return;
      const message = JSON.parse(payload) as { type?: string };
      if (message.type === "calibration_schedule" || message.type === "calibration_done" || message.type === "calibration_abandoned") {
        frames.push(message as CalibrationFrame);
      }
    }),
  );
  return frames;
}
