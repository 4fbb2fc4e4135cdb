/**
 * The benchmark page: one Web Audio output of the engine (`createWebAudioOutput`), driven by the
 * benchmark through `window.media`. The tap (bench/sync/tap-init.ts) records what renders.
 */
import { createWebAudioOutput, type AudioOutput, type DecodeStats } from "@sync-beats/sync-engine";

/** What the benchmark calls. */
export interface MediaPageApi {
  /** Starts `url` from `offsetMs` `leadS` (default 50 ms) from now; returns the call's performance.now() and the start's context time. */
  start(url: string, offsetMs: number, leadS?: number): { calledAtMs: number; when: number };
  /** Stops playback. */
  stop(): void;
  /** How the open track `url` decodes (the engine's `trackDecoding`): WebCodecs or decodeAudioData, and per-span timings. */
  decoding(url: string): Promise<DecodeStats | null>;
  /** Baseline: download and decode the whole file; returns the ms it took. */
  wholeDecodeMs(url: string, timeoutMs: number): Promise<number | null>;
}

declare global {
  interface Window {
    media: MediaPageApi;
  }
}

const context = new AudioContext();
const output: AudioOutput = createWebAudioOutput({ context });

window.media = {
  start(url, offsetMs, leadS = 0.05) {
    const calledAtMs = performance.now();
    const when = context.currentTime + leadS;
    output.start(url, when, offsetMs, 1);
    return { calledAtMs, when };
  },
  stop: () => output.stop(),
  decoding: (url) => output.trackDecoding?.(url) ?? Promise.resolve(null),
  async wholeDecodeMs(url, timeoutMs) {
    const started = performance.now();
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      const bytes = await (await fetch(url, { signal: abort.signal })).arrayBuffer();
      await context.decodeAudioData(bytes);
      return performance.now() - started;
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
    }
  },
};
