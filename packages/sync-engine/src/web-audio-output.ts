import { captureInput } from "./web-audio-capture.js";
import type { AudioOutput, AudioState, AudioTimestamp, Disposer } from "./types.js";

/** A start is never scheduled closer than this to `currentTime` (the render thread may be ahead). */
const MIN_START_AHEAD_S = 0.01;

/** Options of {@link createWebAudioOutput}. */
export interface WebAudioOutputOptions {
  /** An existing context to use (e.g. one a page already made)... */
  readonly context?: AudioContext;
  /** ...or how to make one; by default `new AudioContext()`. */
  readonly createContext?: () => AudioContext;
  /** Converts `performance.now()` time to the engine's {@link Clock} time base (default: identity). */
  readonly toLocalMs?: (performanceNowMs: number) => number;
  /** Downloads a track (default: global `fetch`). */
  readonly fetch?: (url: string) => Promise<Response>;
}

/** From context time `fromContextS` on, a voice renders from `positionMs` at `rate`. */
interface RateSpan {
  readonly fromContextS: number;
  readonly positionMs: number;
  readonly rate: number;
}

/** One started source and the bookkeeping that says what it renders when. */
interface Voice {
  readonly node: AudioBufferSourceNode;
  readonly when: number;
  readonly endMs: number;
  stopAt: number;
  readonly rateSpans: RateSpan[];
}

/**
 * The Web Audio {@link AudioOutput}: decoded buffers (cached by URL) played by
 * `AudioBufferSourceNode.start(when, offset)` through one master `GainNode` connected to
 * `context.destination` (a benchmark taps that node's output). Deliberately
 * thin: it only does what it is told and remembers start times, offsets and rate changes, so it
 * can say which position it renders at a given context time. Never throws on a missing API.
 */
export function createWebAudioOutput(options: WebAudioOutputOptions = {}): AudioOutput {
  const toLocal = options.toLocalMs ?? ((ms: number) => ms);
  const download = options.fetch ?? ((url: string) => fetch(url));
  const decoded = new Map<string, AudioBuffer>();
  const pending = new Map<string, Promise<AudioBuffer>>();
  const listeners = new Set<(state: AudioState) => void>();
  let context: AudioContext | null = null;
  /** Every voice and click goes through this one node into `destination` (one place to tap). */
  let master: GainNode | null = null;
  let unlocked = false;
  let voices: Voice[] = [];

  const state = (): AudioState => {
    if (!context) return "locked";
    if (context.state === "running") return "running";
    return unlocked ? "suspended" : "locked";
  };
  const notify = () => {
    const current = state();
    for (const listener of listeners) listener(current);
  };

  const ensureContext = (): AudioContext => {
    if (context) return context;
    context = options.context ?? (options.createContext ? options.createContext() : new AudioContext());
    context.addEventListener("statechange", notify);
    master = context.createGain();
    master.connect(context.destination);
    // Where autoplay is allowed this resumes at once; elsewhere it waits for unlock().
    if (context.state !== "running") void context.resume().catch(() => undefined);
    return context;
  };

  const output = (): AudioNode => {
    ensureContext();
    return master!;
  };

  const positionIn = (voice: Voice, c: number): number => {
    let span = voice.rateSpans[0]!;
    for (const s of voice.rateSpans) if (s.fromContextS <= c) span = s;
    return span.positionMs + (c - span.fromContextS) * 1000 * span.rate;
  };

  const voiceAt = (c: number): Voice | null => {
    for (let i = voices.length - 1; i >= 0; i--) {
      const v = voices[i]!;
      if (v.when <= c && c < v.stopAt) return v;
    }
    return null;
  };

  /** Ends every voice at `at`; voices that would only start at or after `at` are cancelled. */
  const cut = (at: number) => {
    const ctx = ensureContext();
    voices = voices.filter((v) => {
      const cancel = v.when >= at && v.when > ctx.currentTime;
      safely(() => v.node.stop(cancel ? 0 : at));
      if (cancel) safely(() => v.node.disconnect());
      v.stopAt = Math.min(v.stopAt, at);
      return !cancel;
    });
  };

  // Created up front (outside a gesture it simply starts suspended, i.e. "locked"), so that where
  // autoplay is allowed the state is "running" before the first track arrives.
  if (typeof AudioContext !== "undefined" || options.context || options.createContext) safely(ensureContext);

  return {
    getState: state,

    onStateChange(listener): Disposer {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async unlock() {
      const ctx = ensureContext();
      unlocked = true;
      // iOS unlocks only from inside the gesture: resume and sound a silent buffer synchronously.
      const resumed = ctx.resume();
      safely(() => {
        const source = ctx.createBufferSource();
        source.buffer = ctx.createBuffer(1, 1, ctx.sampleRate);
        source.connect(output());
        source.start(0);
      });
      await resumed.catch(() => undefined);
      notify();
    },

    load(url) {
      const ctx = ensureContext();
      let promise = pending.get(url);
      if (!promise) {
        promise = download(url)
          .then((response) => {
            if (!response.ok) throw new Error(`HTTP ${response.status}`);
            return response.arrayBuffer();
          })
          .then((bytes) => ctx.decodeAudioData(bytes));
        pending.set(url, promise);
        promise.then(
          (buffer) => decoded.set(url, buffer),
          () => pending.delete(url),
        );
      }
      return promise.then((buffer) => ({ durationMs: buffer.duration * 1000 }));
    },

    currentTime: () => context?.currentTime ?? 0,

    outputTimestamp(): AudioTimestamp | null {
      if (!context || context.state !== "running") return null;
      const ts = typeof context.getOutputTimestamp === "function" ? safely(() => context!.getOutputTimestamp()) : undefined;
      if (ts && (ts.contextTime ?? 0) > 0 && (ts.performanceTime ?? 0) > 0) {
        return { contextTime: ts.contextTime!, localTimeMs: toLocal(ts.performanceTime!) };
      }
      // No usable getOutputTimestamp (older Safari): what is rendered now is heard after the latencies.
      const latency = (context.outputLatency || 0) + (context.baseLatency || 0);
      return { contextTime: context.currentTime - latency, localTimeMs: toLocal(performance.now()) };
    },

    start(url, requestedWhen, requestedOffsetMs, rate) {
      const ctx = ensureContext();
      const buffer = decoded.get(url);
      if (!buffer) return;
      // A main thread that stalled past `when` (a busy page) would start late with the offset
      // meant for `when`, and the bookkeeping would never know. Start a little ahead instead, with
      // the offset that belongs to that instant, so what is recorded is what plays.
      const earliest = ctx.currentTime + MIN_START_AHEAD_S;
      const when = Math.max(requestedWhen, earliest);
      const offsetMs = requestedOffsetMs + (when - requestedWhen) * 1000 * rate;
      cut(when);
      const offsetS = Math.max(0, offsetMs / 1000);
      if (offsetS >= buffer.duration) return;
      const node = ctx.createBufferSource();
      node.buffer = buffer;
      node.playbackRate.value = rate;
      node.connect(output());
      node.start(when, offsetS);
      const voice: Voice = { node, when, endMs: buffer.duration * 1000, stopAt: Infinity, rateSpans: [{ fromContextS: when, positionMs: offsetMs, rate }] };
      node.onended = () => safely(() => node.disconnect());
      // Ended voices stay a while so positions just rendered can still be asked about.
      voices = [...voices.filter((v) => v.stopAt > ctx.currentTime - 10), voice];
    },

    stop(when) {
      if (context) cut(Math.max(when ?? 0, context.currentTime));
    },

    setRate(rate, when) {
      const voice = voiceAt(when);
      if (!voice) return;
      const pos = positionIn(voice, when);
      safely(() => voice.node.playbackRate.setValueAtTime(rate, when));
      voice.rateSpans.push({ fromContextS: when, positionMs: pos, rate });
    },

    renderedPositionMs(contextTime) {
      const voice = voiceAt(contextTime);
      if (!voice) return null;
      const pos = positionIn(voice, contextTime);
      return pos < voice.endMs ? pos : null;
    },

    playClick(when) {
      const ctx = ensureContext();
      // A 4 ms 2 kHz burst with a fast decay: short and sharp enough to line up by ear.
      const frames = Math.round(ctx.sampleRate * 0.004);
      const buffer = ctx.createBuffer(1, frames, ctx.sampleRate);
      const data = buffer.getChannelData(0);
      for (let i = 0; i < frames; i++) data[i] = Math.sin((2 * Math.PI * 2000 * i) / ctx.sampleRate) * Math.exp(-i / (frames / 4));
      const source = ctx.createBufferSource();
      source.buffer = buffer;
      source.connect(output());
      source.start(Math.max(when, ctx.currentTime));
    },

    playSignal(samplesFor, when) {
      const ctx = ensureContext();
      const samples = samplesFor(ctx.sampleRate);
      const buffer = ctx.createBuffer(1, samples.length, ctx.sampleRate);
      buffer.getChannelData(0).set(samples);
      const source = ctx.createBufferSource();
      source.buffer = buffer;
      source.connect(output());
      source.start(Math.max(when, ctx.currentTime));
    },

    capture(stream) {
      return captureInput(ensureContext(), stream);
    },

    outputRoute() {
      // Chromium tells the route (`sinkId`, "" for the default device); elsewhere there is one.
      const sinkId = (context as (AudioContext & { sinkId?: unknown }) | null)?.sinkId;
      return typeof sinkId === "string" && sinkId !== "" ? sinkId : "default";
    },

    dispose() {
      for (const v of voices) safely(() => v.node.stop());
      voices = [];
      safely(() => master?.disconnect());
      context?.removeEventListener("statechange", notify);
      // A context the caller handed in is theirs to close.
      if (!options.context) void context?.close().catch(() => undefined);
      context = null;
      master = null;
    },
  };
}

/** Runs `fn`, swallowing exceptions from audio nodes in odd states (stopped twice, closed context). */
function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
