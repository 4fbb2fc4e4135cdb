/**
 * A page's speaker-time map, live (pure): the least-squares line through its latest
 * `getOutputTimestamp()` pairs, as the precision benchmark fits them, from its audio-context
 * frames to the wall-clock instants it renders them at. Only the latest pairs are fitted, so an
 * audio stall some seconds ago no longer bends the line.
 */
import { evalFit, invertFit, robustFit, segmentAt, segmentedFit, type LinearFit } from "../sync/fit.js";
import type { FrameClock } from "./microphone-mix.js";

/** About 3 s of pairs at the tap's 10 ms sampling. */
const LATEST_PAIRS = 300;
/** Fewer pairs than this give no map yet. */
const MIN_PAIRS = 30;

/** A frame clock refitted as the page's stamps come in. */
export class PageClock implements FrameClock {
  private contextTimes: number[] = [];
  private performanceTimes: number[] = [];
  private fit: LinearFit | null = null;
  private readonly allContextTimes: number[] = [];
  private readonly allPerformanceTimes: number[] = [];

  constructor(
    private readonly sampleRate: number,
    private readonly realTimeOrigin: number,
  ) {}

  /** Adds `[contextTime, performanceTime, ...]` pairs and refits over the latest ones. */
  addStamps(stamps: readonly number[]): void {
    for (let i = 0; i + 1 < stamps.length; i += 2) {
      this.contextTimes.push(stamps[i]!);
      this.performanceTimes.push(stamps[i + 1]!);
      this.allContextTimes.push(stamps[i]!);
      this.allPerformanceTimes.push(stamps[i + 1]!);
    }
    if (stamps.length === 0) return;
    if (this.contextTimes.length > LATEST_PAIRS) {
      this.contextTimes = this.contextTimes.slice(-LATEST_PAIRS);
      this.performanceTimes = this.performanceTimes.slice(-LATEST_PAIRS);
    }
    if (this.contextTimes.length >= MIN_PAIRS) this.fit = robustFit(this.contextTimes, this.performanceTimes) ?? this.fit;
  }

  get ready(): boolean {
    return this.fit !== null;
  }

  toWallMs(frame: number): number {
    return this.realTimeOrigin + evalFit(this.requireFit(), frame / this.sampleRate);
  }

  toFrame(wallMs: number): number {
    return invertFit(this.requireFit(), wallMs - this.realTimeOrigin) * this.sampleRate;
  }

  /**
   * The map over the page's whole history, as the precision benchmark's analysis fits it: one line
   * per stretch between audio stalls. For reading back when past frames were rendered.
   */
  history(): FrameClock {
    const segments = segmentedFit(this.allContextTimes, this.allPerformanceTimes, 1000);
    if (segments.length === 0) throw new Error("the page has no speaker-time map yet");
    const { sampleRate, realTimeOrigin } = this;
    return {
      toWallMs: (frame) => realTimeOrigin + evalFit(segmentAt(segments, frame / sampleRate)!.fit, frame / sampleRate),
      toFrame(wallMs) {
        // The last stretch that had begun by then: each stretch's own line, inverted.
        let contextTime = invertFit(segments[0]!.fit, wallMs - realTimeOrigin);
        for (const segment of segments.slice(1)) {
          const candidate = invertFit(segment.fit, wallMs - realTimeOrigin);
          if (candidate >= segment.fromX) contextTime = candidate;
        }
        return contextTime * sampleRate;
      },
    };
  }

  private requireFit(): LinearFit {
    if (!this.fit) throw new Error("the page has no speaker-time map yet");
    return this.fit;
  }
}
