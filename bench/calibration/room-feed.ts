/**
 * The simulated room, live: drains what every page renders (the tap), rebuilds it, mixes what
 * the listener's microphone hears through each page's hidden path, and pushes it to the
 * measuring page's simulated microphone ahead of the frames it will record them at.
 */
import type { Page } from "playwright-core";
import type { TapDrain } from "../sync/tap-init.js";
import { sleep } from "../sync/time.js";
import { pushMicrophone } from "./fake-microphone.js";
import { MicrophoneMix, type AcousticPath, type RoomSound } from "./microphone-mix.js";
import { PageClock } from "./page-clock.js";
import { RenderedSamples } from "./rendered-samples.js";

/** What one page rendered so far, and its speaker-time map. */
export interface PageRender {
  readonly page: Page;
  readonly samples: RenderedSamples;
  clock: PageClock | null;
}

export interface RoomFeedStats {
  /** Microphone frames pushed after the recorder had already passed them (heard as silence). */
  lateFrames: number;
  /** Of those, frames that carried a page's sound (louder than the noise can be): a sweep lost. */
  lateAudibleFrames: number;
  pushedFrames: number;
  /** Most frames the microphone was fed ahead of the recorder. */
  maxLeadFrames: number;
}

const drain = (page: Page): Promise<TapDrain | null> => page.evaluate(() => window.__benchTap?.drain() ?? null);

/** How often the feed drains the pages and pushes the microphone, ms. */
const FEED_PERIOD_MS = 20;
/**
 * At most this much microphone signal per push (4 s at 48 kHz): more than a cycle of the feed
 * takes on a starved machine, so a push catches up with the recorder rather than falling behind.
 */
const MAX_PUSH_FRAMES = 192_000;

export class RoomFeed {
  readonly renders: PageRender[];
  private readonly measuring: PageRender;
  private mix: MicrophoneMix | null = null;
  private running = false;
  private microphoneOpen = false;
  private loop: Promise<void> | null = null;
  readonly stats: RoomFeedStats = { lateFrames: 0, lateAudibleFrames: 0, pushedFrames: 0, maxLeadFrames: 0 };

  constructor(
    private readonly listeners: readonly { readonly page: Page; readonly path: AcousticPath }[],
    measuringPage: Page,
    private readonly room: RoomSound,
    /** The microphone's simulated input latency: time for the feed to hear every page first. */
    private readonly inputLatencyMs: number,
  ) {
    this.renders = listeners.map(({ page }) => ({ page, samples: new RenderedSamples(), clock: null }));
    this.measuring = { page: measuringPage, samples: new RenderedSamples(), clock: null };
  }

  /** Starts draining and feeding; resolves once every page has a speaker-time map. */
  async start(timeoutMs = 30_000): Promise<void> {
    this.running = true;
    this.loop = this.run();
    const pages = [...this.renders, this.measuring];
    for (let waited = 0; !pages.every((render) => render.clock?.ready); waited += FEED_PERIOD_MS) {
      if (waited > timeoutMs) {
        await this.stop();
        const state = pages.map((render, index) => `page ${index}: ${render.clock ? "tapped" : "no tap"}, ${render.samples.knownToFrame} frames`);
        throw new Error(`the pages' taps gave no speaker-time map within ${timeoutMs} ms (${state.join("; ")})`);
      }
      await sleep(FEED_PERIOD_MS);
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const started = Date.now();
      await Promise.all([...this.renders, this.measuring].map((render) => this.drainInto(render)));
      await this.feed();
      await sleep(Math.max(0, FEED_PERIOD_MS - (Date.now() - started)));
    }
  }

  private async drainInto(render: PageRender): Promise<void> {
    const drained = await drain(render.page).catch(() => null);
    if (!drained) return;
    render.clock ??= new PageClock(drained.sampleRate, drained.realTimeOrigin);
    render.clock.addStamps(drained.stamps);
    render.samples.append(drained.records, drained.completeToFrame);
  }

  private async feed(): Promise<void> {
    const microphone = this.measuring.clock;
    if (!microphone?.ready || !this.renders.every((render) => render.clock?.ready)) return;
    this.mix ??= new MicrophoneMix(
      this.listeners.map(({ path }, index) => ({ signal: this.renders[index]!.samples, clock: this.renders[index]!.clock!, path })),
      { clock: microphone, inputLatencyMs: this.inputLatencyMs },
      this.room,
      this.measuring.samples.knownToFrame,
    );
    // Frames the recorder has passed are lost whatever we do: counting them and moving on keeps a
    // slow round from making the next push bigger, and the one after bigger still.
    const recorderAt = this.measuring.samples.knownToFrame;
    if (this.mix.renderedToFrame < recorderAt) {
      // Rendered only to learn whether a sweep was lost; never pushed.
      const lost = this.mix.render(Math.min(recorderAt, this.mix.horizonFrame()));
      if (this.microphoneOpen) this.countLate(lost, recorderAt - (this.mix.renderedToFrame - lost.length));
      this.mix.skipTo(recorderAt);
    }
    const from = this.mix.renderedToFrame;
    const to = Math.min(this.mix.horizonFrame(), from + MAX_PUSH_FRAMES);
    if (!(to > from)) return;
    const samples = this.mix.render(to);
    const answer = await pushMicrophone(this.measuring.page, from, samples).catch(() => null);
    this.microphoneOpen = answer?.open === true;
    if (!answer?.open || answer.frame === null) return;
    this.stats.pushedFrames += samples.length;
    const late = Math.max(0, Math.min(to, answer.frame) - from);
    this.countLate(samples.subarray(0, late), late);
    this.stats.maxLeadFrames = Math.max(this.stats.maxLeadFrames, to - answer.frame);
  }

  /** Counts `frames` frames the recorder passed before they came, of which `rendered` are known. */
  private countLate(rendered: Float32Array, frames: number): void {
    this.stats.lateFrames += frames;
    // Gaussian noise never reaches ten times its RMS: anything louder is a page's sound.
    const audible = Math.max(10 * this.room.noiseRms, 1e-6);
    this.stats.lateAudibleFrames += rendered.filter((value) => Math.abs(value) > audible).length;
  }
}
