import type { AudioOutput } from "./types.js";

/** Options of {@link createWebAudioOutput}. */
export interface WebAudioOutputOptions {
  /** An existing context to use; by default one is created on first use. */
  readonly context?: AudioContext;
  /** Converts `performance.now()` time to the engine's {@link Clock} time base (default: identity). */
  readonly toLocalMs?: (performanceNowMs: number) => number;
  /** `fetch` to download tracks (default: global fetch). */
  readonly fetch?: typeof fetch;
}

/** The Web Audio {@link AudioOutput}: decoded buffers played by `AudioBufferSourceNode`s into `destination`. */
export function createWebAudioOutput(_options: WebAudioOutputOptions = {}): AudioOutput {
  throw new Error("not implemented");
}
