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
 * - samples `getOutputTimestamp()` every 10 ms, for the speaker-time fit.
 */
import { speakerTimestamp } from "@sync-beats/sync-engine";

interface BenchConfig {
  readonly shiftMs: number;
  readonly workletSource: string;
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
  readonly outputLatency: number;
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
      /** Flushes the worklet and returns everything recorded so far (first context). */
      collect(): Promise<TapData | null>;
      /** What was recorded since the previous drain, promptly (first context): for live consumers. */
      drain(): Promise<TapDrain | null>;
    };
  }
}

const config = window.__BENCH_CONFIG__;
const shiftMs = config.shiftMs;
const realTimeOrigin = performance.timeOrigin;
const RealDate = Date;
const realDateNow = RealDate.now.bind(RealDate);
const shiftedNow = () => realDateNow() + shiftMs;

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
    // Read as the engine reads it (Firefox leaves its output latency out of the pair: SPEC OT2).
    const nowMs = performance.now();
    const timestamp = context.getOutputTimestamp();
    const { currentTime, outputLatency, baseLatency } = context;
    const stamp = speakerTimestamp({ timestamp, nowMs, currentTime, outputLatency, baseLatency });
    if (stamp.rule !== "OT3" && stamp.contextTime !== lastContextTime) {
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
  realNow: () => realTimeOrigin + performance.now(),
  async ready() {
    for (let i = 0; i < 500 && taps.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    const tap = taps[0];
    if (!tap) throw new Error("no AudioContext was created");
    await tap.ready;
  },
  async collect() {
    const tap = taps[0];
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
      outputLatency: tap.context.outputLatency,
    };
  },
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
