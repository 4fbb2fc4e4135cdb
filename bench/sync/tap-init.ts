/**
 * The init script every benchmark page gets before any of its own code runs:
 *
 * - shifts the page's wall clock by `shiftMs`: `Date.now()`, `new Date()` and
 *   `performance.timeOrigin`. `performance.now()` is left alone: it is already relative to a
 *   per-page origin, and `getOutputTimestamp().performanceTime` and event timestamps share its base,
 *   so shifting it alone would make the page inconsistent rather than skewed;
 * - mirrors every connection into an `AudioContext`'s `destination` onto a tap bus (a unity
 *   GainNode, exact for float samples) feeding the `timecode-tap` worklet, so the benchmark reads
 *   what the page actually renders whatever node the engine connects;
 * - samples `getOutputTimestamp()` every 10 ms, for the speaker-time fit;
 * - with `skewPpm` (room mode, issue 17), runs the page's clock that many ppm fast or slow:
 *   `performance.now()`, `getOutputTimestamp().performanceTime` and `Date.now()` all scale by
 *   `1 + skewPpm / 1e6` from the page's origin, so the page stays consistent with itself; the
 *   tap keeps the real clock for its own stamps;
 * - with `syncRewrite` (room mode), a `WebSocket` opened to the sync server's port goes to the
 *   URL the benchmark stored under `localStorage[syncRewrite.storageKey]` instead (the page's
 *   delay proxy), so the app is unchanged.
 */
import { contextReading, speakerTimestamp } from "@sync-beats/sync-engine";
import { recordClockExchanges, type PageExchange } from "./tap-clock-exchanges.js";

interface BenchConfig {
  readonly shiftMs: number;
  readonly workletSource: string;
  readonly skewPpm?: number;
  readonly syncRewrite?: { readonly port: number; readonly storageKey: string };
}

/** What the page exposes to the benchmark as `window.__benchTap`. */
export interface TapData {
  readonly realTimeOrigin: number;
  readonly shiftMs: number;
  readonly sampleRate: number;
  /** Flat `[frame, value, ...]` pairs from the worklet. */
  readonly records: number[];
  /** Flat `[contextTime, performanceTime, ...]` pairs from `getOutputTimestamp()`. */
  readonly stamps: number[];
  readonly baseLatency: number;
  /** How many AudioContexts the page created (the data is the latest open one's). */
  readonly contexts?: number;
}

/** Records and stamps since the previous drain; every frame before `completeToFrame` is in (this or an earlier drain's) `records`. */
export interface TapDrain {
  readonly realTimeOrigin: number;
  readonly sampleRate: number;
  readonly records: number[];
  readonly stamps: number[];
  readonly completeToFrame: number;
}

interface ContextTap {
  readonly context: AudioContext;
  readonly bus: GainNode;
  node: AudioWorkletNode | null;
  readonly ready: Promise<void>;
  readonly records: number[];
  readonly stamps: number[];
  /** Resolved at the worklet's next batch (the answer to a flush). */
  readonly flushWaiters: (() => void)[];
}

declare global {
  interface Window {
    __BENCH_CONFIG__: BenchConfig;
    __benchTap: {
      readonly realTimeOrigin: number;
      readonly shiftMs: number;
      /** Real (unshifted) epoch ms of the page: realTimeOrigin + performance.now(). */
      realNow(): number;
      /** The tap of the first AudioContext, once its worklet runs. */
      ready(): Promise<void>;
      /** Flushes the worklet and returns everything recorded so far (latest open context). */
      collect(): Promise<TapData | null>;
      /** What was recorded since the previous drain, promptly (first context): for live consumers. */
      drain(): Promise<TapDrain | null>;
      /** Room mode: the sync sockets' clock exchanges so far, and the page clock's rate (real = origin + local / rate). */
      clockExchanges(): { readonly rate: number; readonly exchanges: readonly PageExchange[] };
    };
  }
}

const config = window.__BENCH_CONFIG__;
const shiftMs = config.shiftMs;
const realTimeOrigin = performance.timeOrigin;
const realPerformanceNow = performance.now.bind(performance);
const RealDate = Date;
const realDateNow = RealDate.now.bind(RealDate);
const skewPpm = config.skewPpm ?? 0;
const skew = 1 + skewPpm / 1e6;
const realGetOutputTimestamp = AudioContext.prototype.getOutputTimestamp;
// Without skew, Date.now() stays the real one (shifted): the engine-page figures are unchanged.
const shiftedNow = skewPpm === 0 ? () => realDateNow() + shiftMs : () => realTimeOrigin + shiftMs + realPerformanceNow() * skew;
if (skewPpm !== 0) {
  performance.now = () => realPerformanceNow() * skew;
  AudioContext.prototype.getOutputTimestamp = function getOutputTimestamp(this: AudioContext): AudioTimestamp {
    const stamp = realGetOutputTimestamp.call(this);
    return stamp.performanceTime === undefined ? stamp : { contextTime: stamp.contextTime, performanceTime: stamp.performanceTime * skew };
  };
}
const rewrite = config.syncRewrite;
const exchanges: PageExchange[] = [];
if (rewrite) {
  const RealWebSocket = WebSocket;
  window.WebSocket = new Proxy(RealWebSocket, {
    construct(target, args: unknown[], newTarget) {
      const url = new URL(String(args[0]), location.href);
      const replacement = url.port === String(rewrite.port) ? localStorage.getItem(rewrite.storageKey) : null;
      const destination = replacement ? `${replacement}${url.pathname}${url.search}` : String(args[0]);
      const socket = Reflect.construct(target, [destination, ...args.slice(1)], newTarget) as WebSocket;
      if (replacement) recordClockExchanges(socket, exchanges, () => performance.now(), realPerformanceNow);
      return socket;
    },
  });
}

globalThis.Date = new Proxy(RealDate, {
  construct(target, args: unknown[], newTarget) {
    return Reflect.construct(target, args.length === 0 ? [shiftedNow()] : args, newTarget) as object;
  },
  apply() {
    return new RealDate(shiftedNow()).toString();
  },
  get(target, property, receiver) {
    return property === "now" ? shiftedNow : Reflect.get(target, property, receiver);
  },
});
Object.defineProperty(performance, "timeOrigin", { get: () => realTimeOrigin + shiftMs, configurable: true });

const workletUrl = URL.createObjectURL(new Blob([config.workletSource], { type: "text/javascript" }));
const taps: ContextTap[] = [];
const tapsByContext = new WeakMap<BaseAudioContext, ContextTap>();
const originalConnect = AudioNode.prototype.connect as (this: AudioNode, ...args: unknown[]) => unknown;
const originalDisconnect = AudioNode.prototype.disconnect as (this: AudioNode, ...args: unknown[]) => unknown;

function tapFor(context: AudioContext): ContextTap {
  const existing = tapsByContext.get(context);
  if (existing) return existing;
  const bus = context.createGain();
  const records: number[] = [];
  const stamps: number[] = [];
  const tap: ContextTap = {
    context,
    bus,
    node: null,
    records,
    stamps,
    flushWaiters: [],
    ready: context.audioWorklet.addModule(workletUrl).then(() => {
      const node = new AudioWorkletNode(context, "timecode-tap", { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1] });
      node.port.onmessage = (event: MessageEvent<Float64Array>) => {
        for (const value of event.data) records.push(value);
        for (const resolve of tap.flushWaiters.splice(0)) resolve();
      };
      originalConnect.call(bus, node);
      // The worklet writes nothing (silence); connecting it keeps it pulled by the render graph.
      originalConnect.call(node, context.destination);
      tap.node = node;
    }),
  };
  tapsByContext.set(context, tap);
  taps.push(tap);
  let lastContextTime = -1;
  const timer = setInterval(() => {
    if (context.state === "closed") return clearInterval(timer);
    if (context.state !== "running") return;
    // Read as the engine reads it (Firefox leaves its output latency out of the pair: SPEC OT2),
    // but from the real clocks: the tap's stamps are never skewed.
    const nowMs = realPerformanceNow();
    const timestamp = realGetOutputTimestamp.call(context);
    const stamp = speakerTimestamp(contextReading(context, timestamp, nowMs));
    if (stamp && stamp.rule !== "OT3" && stamp.contextTime !== lastContextTime) {
      lastContextTime = stamp.contextTime;
      stamps.push(stamp.contextTime, stamp.performanceTimeMs);
    }
  }, 10);
  return tap;
}

const RealAudioContext = AudioContext;
window.AudioContext = new Proxy(RealAudioContext, {
  construct(target, args: unknown[], newTarget) {
    const context = Reflect.construct(target, args, newTarget) as AudioContext;
    tapFor(context);
    return context;
  },
});

function isRealtimeDestination(target: unknown): target is AudioDestinationNode {
  return target instanceof AudioDestinationNode && target.context instanceof RealAudioContext;
}

AudioNode.prototype.connect = function connect(this: AudioNode, ...args: unknown[]) {
  const result = originalConnect.apply(this, args);
  const target = args[0];
  if (isRealtimeDestination(target)) originalConnect.call(this, tapFor(target.context as AudioContext).bus, args[1] ?? 0);
  return result;
} as AudioNode["connect"];

AudioNode.prototype.disconnect = function disconnect(this: AudioNode, ...args: unknown[]) {
  const result = originalDisconnect.apply(this, args);
  const target = args[0];
  if (isRealtimeDestination(target)) {
    try {
      originalDisconnect.call(this, tapFor(target.context as AudioContext).bus);
    } catch {
      // Not connected to the bus: nothing to mirror.
    }
  }
  return result;
} as AudioNode["disconnect"];

const drained = { records: 0, stamps: 0 };

window.__benchTap = {
  realTimeOrigin,
  shiftMs,
  realNow: () => realTimeOrigin + realPerformanceNow(),
  async ready() {
    for (let i = 0; i < 500 && taps.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    const tap = taps[0];
    if (!tap) throw new Error("no AudioContext was created");
    await tap.ready;
  },
  async collect() {
    // The latest context still open: a page may replace its context (the room page's engine is
    // rebuilt when its hook's inputs change), and the closed one no longer plays.
    const tap = [...taps].reverse().find((t) => t.context.state !== "closed") ?? taps.at(-1);
    if (!tap) return null;
    tap.node?.port.postMessage("flush");
    await new Promise((resolve) => setTimeout(resolve, 100));
    return {
      realTimeOrigin,
      shiftMs,
      sampleRate: tap.context.sampleRate,
      records: tap.records,
      stamps: tap.stamps,
      baseLatency: tap.context.baseLatency,
      contexts: taps.length,
    };
  },
  clockExchanges: () => ({ rate: skew, exchanges }),
  async drain() {
    const tap = taps[0];
    if (!tap?.node) return null;
    const flushed = new Promise<void>((resolve) => tap.flushWaiters.push(resolve));
    tap.node.port.postMessage("flush");
    // A suspended context answers nothing: give up after a while rather than hang the consumer.
    await Promise.race([flushed, new Promise((resolve) => setTimeout(resolve, 250))]);
    const records = tap.records.slice(drained.records);
    const stamps = tap.stamps.slice(drained.stamps);
    drained.records = tap.records.length;
    drained.stamps = tap.stamps.length;
    // The worklet records every render quantum's first frame and posts whole quanta: every frame
    // up to the last record is in, whichever batch woke us.
    const completeToFrame = tap.records.length >= 2 ? tap.records[tap.records.length - 2]! + 1 : 0;
    return { realTimeOrigin, sampleRate: tap.context.sampleRate, records, stamps, completeToFrame };
  },
};
