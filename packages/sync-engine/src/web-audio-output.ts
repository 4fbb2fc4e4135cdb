import { contextReading, speakerTimestamp } from "./output-timestamp.js";
import { captureInput } from "./web-audio-capture.js";
import { PlaybackSession, safely } from "./stream/playback-session.js";
import { openTrackSource, type TrackFetch, type TrackSource } from "./stream/track-source.js";
import type { AudioOutput, AudioState, AudioTimestamp, Disposer } from "./types.js";

/** A start is never scheduled closer than this to `currentTime` (the render thread may be ahead). */
const MIN_START_AHEAD_S = 0.01;
/** How often the playing session refills its window and makes the nodes due next. */
const TICK_MS = 100;
/** Open tracks kept (the current one, the next one preloaded, the previous): older ones are released. */
const KEPT_SOURCES = 3;

/** Options of {@link createWebAudioOutput}. */
export interface WebAudioOutputOptions {
  /** An existing context to use (e.g. one a page already made)... */
  readonly context?: AudioContext;
  /** ...or how to make one; by default `new AudioContext()`. */
  readonly createContext?: () => AudioContext;
  /** Converts `performance.now()` time to the engine's {@link Clock} time base (default: identity). */
  readonly toLocalMs?: (performanceNowMs: number) => number;
  /** Downloads a track or a byte range of it (default: global `fetch`). */
  readonly fetch?: TrackFetch;
}

/**
 * The Web Audio {@link AudioOutput}. A WAV, an MP3, a FLAC or an Ogg Opus streams: HTTP range
 * requests fill a bounded window of decoded chunks ahead of the playhead, each played by its own
 * `AudioBufferSourceNode` started at the exact context time of its first sample frame, so chunks
 * abut seamlessly (see
 * `stream/playback-session.ts`). Other formats are decoded whole (`decodeAudioData`); at most
 * {@link KEPT_SOURCES} tracks stay open. Everything goes through one master `GainNode` connected
 * to `context.destination` (a benchmark taps that node's output). It only does what it is told
 * and remembers start times, offsets and rate changes, so it can say which position it renders
 * at a given context time. Never throws on a missing API.
 */
export function createWebAudioOutput(options: WebAudioOutputOptions = {}): AudioOutput {
  const toLocal = options.toLocalMs ?? ((ms: number) => ms);
  const download: TrackFetch = options.fetch ?? ((url, init) => fetch(url, init));
  /** Open tracks, least recently used first. */
  const sources = new Map<string, Promise<TrackSource>>();
  const listeners = new Set<(state: AudioState) => void>();
  let context: AudioContext | null = null;
  /** Every voice and click goes through this one node into `destination` (one place to tap). */
  let master: GainNode | null = null;
  let unlocked = false;
  /** Started sessions, oldest first; the last one is the one being filled. */
  let sessions: PlaybackSession[] = [];
  let ticker: ReturnType<typeof setInterval> | null = null;

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

  const tick = () => sessions.at(-1)?.tick();

  /** The open track `url` (opened now if need be), kept as most recently used. */
  const open = (url: string): Promise<TrackSource> => {
    const ctx = ensureContext();
    let promise = sources.get(url);
    if (promise) sources.delete(url);
    else {
      promise = openTrackSource(url, ctx, download, tick);
      promise.catch(() => sources.delete(url));
    }
    sources.set(url, promise);
    const inUse = new Set(sessions.map((session) => session.url));
    for (const [key, older] of sources) {
      if (sources.size <= KEPT_SOURCES) break;
      if (inUse.has(key) || key === url) continue;
      sources.delete(key);
      void older.then((source) => source.dispose(), () => undefined);
    }
    return promise;
  };

  const sessionAt = (c: number): PlaybackSession | null => {
    for (let i = sessions.length - 1; i >= 0; i--) {
      const session = sessions[i]!;
      if (session.when <= c && c < session.stopAt) return session;
    }
    return null;
  };

  /** Ends every session at `at`; sessions that would only start at or after `at` are cancelled. */
  const cut = (at: number) => {
    const ctx = ensureContext();
    sessions = sessions.filter((session) => {
      const cancel = session.when >= at && session.when > ctx.currentTime;
      session.cut(cancel ? 0 : at);
      if (cancel) session.dispose();
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
      return open(url).then((source) => ({ durationMs: (source.totalFrames / source.sampleRate) * 1000 }));
    },

    currentTime: () => context?.currentTime ?? 0,

    outputTimestamp(): AudioTimestamp | null {
      if (!context || context.state !== "running") return null;
      // Each engine reports it differently (SPEC OT1–OT3): speakerTimestamp reads any of them.
      const nowMs = performance.now();
      const timestamp = typeof context.getOutputTimestamp === "function" ? safely(() => context!.getOutputTimestamp()) : undefined;
      const speaker = speakerTimestamp(contextReading(context, timestamp, nowMs));
      if (!speaker) return null;
      const localTimeMs = toLocal(speaker.performanceTimeMs);
      // Firefox's pair is read up to a block after its speaker instant: fitted by its lower edge (OT5).
      return speaker.rule === "OT2" ? { contextTime: speaker.contextTime, localTimeMs, readLate: true } : { contextTime: speaker.contextTime, localTimeMs };
    },

    start(url, requestedWhen, requestedOffsetMs, rate) {
      const ctx = ensureContext();
      // A main thread that stalled past `when` (a busy page) would start late with the offset
      // meant for `when`, and the bookkeeping would never know. Start a little ahead instead, with
      // the offset that belongs to that instant, so what is recorded is what plays.
      const earliest = ctx.currentTime + MIN_START_AHEAD_S;
      // On the context's frame grid: chunk nodes (whose starts are this plus whole frames) then
      // start on frames, and none renders an interpolated first sample at its boundary.
      const when = Math.ceil(Math.max(requestedWhen, earliest) * ctx.sampleRate) / ctx.sampleRate;
      const offsetMs = Math.max(0, requestedOffsetMs + (when - requestedWhen) * 1000 * rate);
      cut(when);
      const session = new PlaybackSession(url, ctx, output(), when, offsetMs, rate);
      // Ended sessions stay a while so positions just rendered can still be asked about.
      sessions = [...sessions.filter((s) => s.stopAt > ctx.currentTime - 10), session];
      // A track not open yet (or released) plays from whenever its chunk arrives, at the position
      // that belongs to that instant: a late start is in sync, never shifted.
      void open(url).then(
        (source) => sessions.includes(session) && session.attach(source),
        () => undefined,
      );
      ticker ??= setInterval(tick, TICK_MS);
    },

    stop(when) {
      if (context) cut(Math.max(when ?? 0, context.currentTime));
    },

    setRate(rate, when) {
      sessionAt(when)?.setRate(rate, when);
    },

    renderedPositionMs(contextTime) {
      return sessionAt(contextTime)?.renderedPositionMs(contextTime) ?? null;
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

    async trackDecoding(url) {
      const source = await sources.get(url)?.catch(() => null);
      return source?.decoding ?? null;
    },

    dispose() {
      for (const session of sessions) session.dispose();
      sessions = [];
      if (ticker !== null) clearInterval(ticker);
      ticker = null;
      for (const promise of sources.values()) void promise.then((source) => source.dispose(), () => undefined);
      sources.clear();
      safely(() => master?.disconnect());
      context?.removeEventListener("statechange", notify);
      // A context the caller handed in is theirs to close.
      if (!options.context) void context?.close().catch(() => undefined);
      context = null;
      master = null;
    },
  };
}
