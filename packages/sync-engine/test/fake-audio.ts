import type { AudioOutput, AudioState, AudioTimestamp, Clock, Disposer } from "../src/types.js";
import { seededRandom } from "./random.js";

interface Segment {
  readonly c: number;
  readonly pos: number;
  readonly rate: number;
}

interface Source {
  readonly url: string;
  readonly when: number;
  stopAt: number;
  readonly segments: Segment[];
}

/** Options of {@link FakeAudioOutput}. */
export interface FakeAudioOptions {
  /** Audio clock rate error against the local clock (headless Chromium: ~+1,400 ppm). */
  readonly ppm?: number;
  /** Output latency: context time c is heard this long after the render thread reaches it. */
  readonly outputLatencyMs?: number;
  /** ± uniform jitter on each `outputTimestamp()` pair (render cadence quantisation). */
  readonly timestampJitterMs?: number;
  readonly initialState?: AudioState;
  /** How long `load` takes on the fake clock. */
  readonly loadDelayMs?: number;
  readonly seed?: number;
  /** How long the context has been running when the test starts (default 1 s). */
  readonly startedAgoMs?: number;
}

const QUANTUM_S = 128 / 44_100;

/**
 * A simulated audio device driven by the fake clock: an audio clock that runs `ppm` fast, an
 * output latency, quantised `currentTime`, jittered speaker timestamps, and exact bookkeeping of
 * what each source renders. `heardAt(localMs)` is the ground truth a microphone would report.
 */
export class FakeAudioOutput implements AudioOutput {
  readonly starts: Array<{ url: string; when: number; offsetMs: number; rate: number }> = [];
  readonly stops: Array<number | undefined> = [];
  readonly clicks: number[] = [];
  readonly loaded = new Set<string>();
  readonly failing = new Set<string>();
  private sources: Source[] = [];
  private state: AudioState;
  private readonly listeners = new Set<(state: AudioState) => void>();
  private readonly origin: number;
  private readonly ppm: number;
  private readonly latency: number;
  private readonly jitter: number;
  private readonly random: () => number;
  private readonly stalls: Array<{ readonly fromMs: number; readonly ms: number }> = [];

  constructor(private readonly clock: Clock, private readonly options: FakeAudioOptions = {}) {
    this.origin = clock.now() - (options.startedAgoMs ?? 1_000);
    this.ppm = options.ppm ?? 1_400;
    this.latency = options.outputLatencyMs ?? 35;
    this.jitter = options.timestampJitterMs ?? 2;
    this.state = options.initialState ?? "running";
    this.random = seededRandom(options.seed ?? 1);
  }

  /** Context time the render thread has reached at local `localMs`. */
  contextOf(localMs: number): number {
    const stalledMs = this.stalls.reduce((sum, s) => sum + Math.min(Math.max(0, localMs - s.fromMs), s.ms), 0);
    return (Math.max(0, localMs - this.origin - stalledMs) * (1 + this.ppm * 1e-6)) / 1000;
  }

  /** The render thread stops for `ms` from now (a starved audio device): everything later is heard `ms` late. */
  stall(ms: number): void {
    this.stalls.push({ fromMs: this.clock.now(), ms });
  }

  getState(): AudioState {
    return this.state;
  }

  setState(state: AudioState): void {
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }

  onStateChange(listener: (state: AudioState) => void): Disposer {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async unlock(): Promise<void> {
    this.setState("running");
  }

  load(url: string): Promise<{ durationMs: number }> {
    return new Promise((resolve, reject) => {
      this.clock.setTimeout(() => {
        if (this.failing.has(url)) return reject(new Error("404"));
        this.loaded.add(url);
        resolve({ durationMs: 60_000 });
      }, this.options.loadDelayMs ?? 0);
    });
  }

  currentTime(): number {
    return Math.floor(this.contextOf(this.clock.now()) / QUANTUM_S) * QUANTUM_S;
  }

  outputTimestamp(): AudioTimestamp | null {
    if (this.state !== "running") return null;
    const now = this.clock.now();
    return { contextTime: this.contextOf(now - this.latency), localTimeMs: now + (2 * this.random() - 1) * this.jitter };
  }

  start(url: string, when: number, offsetMs: number, rate: number): void {
    if (!this.loaded.has(url)) throw new Error(`start of unloaded ${url}`);
    if (when < this.currentTime()) throw new Error(`start in the past: ${when} < ${this.currentTime()}`);
    this.cut(when);
    this.sources.push({ url, when, stopAt: Infinity, segments: [{ c: when, pos: offsetMs, rate }] });
    this.starts.push({ url, when, offsetMs, rate });
  }

  stop(when?: number): void {
    this.stops.push(when);
    this.cut(Math.max(when ?? 0, this.currentTime()));
  }

  /** Drops sources pending past `at` and ends the others there. */
  private cut(at: number): void {
    const now = this.currentTime();
    this.sources = this.sources.filter((s) => s.when <= now || s.when < at);
    for (const s of this.sources) s.stopAt = Math.min(s.stopAt, at);
  }

  setRate(rate: number, when: number): void {
    const source = this.sourceAt(when);
    if (!source) return;
    const pos = this.positionIn(source, when);
    source.segments.push({ c: when, pos, rate });
  }

  private sourceAt(c: number): Source | null {
    for (let i = this.sources.length - 1; i >= 0; i--) {
      const s = this.sources[i]!;
      if (s.when <= c && c < s.stopAt) return s;
    }
    return null;
  }

  private positionIn(source: Source, c: number): number {
    let seg = source.segments[0]!;
    for (const s of source.segments) if (s.c <= c) seg = s;
    return seg.pos + (c - seg.c) * 1000 * seg.rate;
  }

  renderedPositionMs(contextTime: number): number | null {
    const source = this.sourceAt(contextTime);
    return source ? this.positionIn(source, contextTime) : null;
  }

  /** Ground truth: the track position heard from the speaker at local `localMs`, and its URL. */
  heardAt(localMs: number): { url: string; positionMs: number } | null {
    const c = this.contextOf(localMs - this.latency);
    const source = this.sourceAt(c);
    return source ? { url: source.url, positionMs: this.positionIn(source, c) } : null;
  }

  playClick(when: number): void {
    this.clicks.push(when);
  }

  /** The local instant at which context time `c` is heard (before any {@link stall}). */
  heardLocalOf(c: number): number {
    return this.origin + (c * 1000) / (1 + this.ppm * 1e-6) + this.latency;
  }

  dispose(): void {
    this.sources = [];
  }
}
