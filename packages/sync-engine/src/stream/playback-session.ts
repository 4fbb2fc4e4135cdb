import { chunkStart, positionAt, rateAt, type RateSpan } from "./rate-spans.js";
import type { DecodedChunk, TrackSource } from "./track-source.js";

/** Chunks due within this many context seconds get their source node (later ones wait). */
const NODE_HORIZON_S = 2;
/**
 * A node is never started closer than this to `currentTime`. The render thread runs ahead of the
 * `currentTime` the page reads (by a callback buffer, more when a loaded machine makes it render
 * in bursts), and a node whose start instant the renderer has passed starts at once *from its
 * given offset*: it then plays late by the overshoot for the whole track, and the session still
 * believes it is on time. 10 ms let a late-opened track start 10–30 ms late at load; 50 ms costs
 * 40 ms more silence on such a start, never a wrong position.
 */
export const MIN_AHEAD_S = 0.05;

interface ChunkNode {
  readonly chunk: DecodedChunk;
  readonly node: AudioBufferSourceNode;
  readonly when: number;
}

/**
 * One `start()` of one track: plays its source's chunks back to back on the audio clock, each
 * node started at the exact context time of its first frame (from the rate history), so chunk
 * boundaries are seamless; rate nudges apply to every node. What it says it renders is only what
 * a node really renders then.
 */
export class PlaybackSession {
  private source: TrackSource | null = null;
  private readonly nodes = new Map<DecodedChunk, ChunkNode>();
  readonly spans: RateSpan[];
  stopAt = Infinity;

  constructor(
    readonly url: string,
    private readonly ctx: BaseAudioContext,
    private readonly output: AudioNode,
    readonly when: number,
    offsetMs: number,
    rate: number,
  ) {
    this.spans = [{ fromContextS: when, positionMs: offsetMs, rate }];
  }

  /** The source, once open (a session may start before its track is open: it plays from then). */
  attach(source: TrackSource): void {
    this.source = source;
    this.tick();
  }

  get attached(): TrackSource | null {
    return this.source;
  }

  /** Fills the window and gives every chunk due soon its node. Call often (and on chunk arrival). */
  tick(): void {
    const source = this.source;
    const now = this.ctx.currentTime;
    if (!source || now >= this.stopAt) return;
    const frameAt = (c: number) => Math.floor((positionAt(this.spans, c) / 1000) * source.sampleRate);
    // A run that must start afresh starts where the audio will be when its fetch lands.
    source.pump(frameAt(Math.max(now, this.when)), frameAt(Math.max(now + source.fetchLeadS, this.when)));
    const earliest = now + MIN_AHEAD_S;
    for (const chunk of source.held()) {
      if (this.nodes.has(chunk)) continue;
      const start = chunkStart(this.spans, chunk.start, chunk.end, source.sampleRate, earliest);
      if (!start || start.when > now + NODE_HORIZON_S || start.when >= this.stopAt) continue;
      const node = this.ctx.createBufferSource();
      node.buffer = chunk.buffer;
      node.playbackRate.value = rateAt(this.spans, start.when);
      node.connect(this.output);
      node.start(start.when, start.offsetS);
      if (Number.isFinite(this.stopAt)) node.stop(this.stopAt);
      node.onended = () => {
        safely(() => node.disconnect());
        this.nodes.delete(chunk);
      };
      this.nodes.set(chunk, { chunk, node, when: start.when });
    }
  }

  /** Ends the session at `at`: nodes not yet started by then are dropped. */
  cut(at: number): void {
    this.stopAt = Math.min(this.stopAt, at);
    for (const [chunk, entry] of this.nodes) {
      if (entry.when >= at) this.drop(chunk, entry);
      else safely(() => entry.node.stop(at));
    }
  }

  /**
   * From `when` on (or from the start of a node due too soon to re-make, see {@link rateChangeAt}),
   * every node plays at `rate`; nodes due later are re-made at their new time.
   */
  setRate(rate: number, when: number): void {
    const from = rateChangeAt(when, this.spans.at(-1)!.fromContextS, [...this.nodes.values()].map((entry) => entry.when), this.ctx.currentTime);
    const positionMs = positionAt(this.spans, from);
    this.spans.push({ fromContextS: from, positionMs, rate });
    for (const [chunk, entry] of this.nodes) {
      if (entry.when > from) this.drop(chunk, entry);
      else safely(() => entry.node.playbackRate.setValueAtTime(rate, from));
    }
    this.tick();
  }

  /** The track position rendered at `c`, or null when no node plays then (not loaded, stopped). */
  renderedPositionMs(c: number): number | null {
    const source = this.source;
    if (!source || c < this.when || c >= this.stopAt) return null;
    const positionMs = positionAt(this.spans, c);
    const frame = (positionMs / 1000) * source.sampleRate;
    for (const { chunk, when } of this.nodes.values()) if (when <= c && chunk.start <= frame && frame < chunk.end) return positionMs;
    return null;
  }

  /** Stops every node now. */
  dispose(): void {
    for (const [chunk, entry] of this.nodes) this.drop(chunk, entry);
  }

  private drop(chunk: DecodedChunk, entry: ChunkNode): void {
    entry.node.onended = null;
    safely(() => entry.node.stop(0));
    safely(() => entry.node.disconnect());
    this.nodes.delete(chunk);
  }
}

/**
 * The instant a rate change asked for at `when` takes effect: `when`, or the start of the latest
 * node due before `currentTime + MIN_AHEAD_S` (and not before the last change, `lastChangeS`).
 * Such a node cannot be dropped and re-made at its new time: a new one may start no sooner than
 * `MIN_AHEAD_S` ahead, so its chunk would begin up to that late (silence at the boundary), and the
 * renderer, running ahead of a coarse `currentTime` (Firefox's moves in ~19 ms blocks), may already
 * be playing it. Kept, it starts as scheduled and the rate changes at its first frame, at most
 * `MIN_AHEAD_S` later than asked: every chunk boundary stays seamless under any rate nudges.
 */
export function rateChangeAt(when: number, lastChangeS: number, nodeStarts: readonly number[], currentTime: number): number {
  const firm = nodeStarts.filter((start) => start >= when && start < currentTime + MIN_AHEAD_S);
  return Math.max(when, lastChangeS, ...firm);
}

/** Runs `fn`, swallowing exceptions from audio nodes in odd states (stopped twice, closed context). */
export function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
