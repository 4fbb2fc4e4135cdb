/**
 * The page of `engine-probe.ts`: the engine's Web Audio output alone (no sync server), playing the
 * timecode, with every `AudioBufferSourceNode.start/stop` and `playbackRate` change logged beside
 * the `currentTime` it was made at, so silences the tap sees can be matched to what was scheduled.
 */
import { createWebAudioOutput } from "@sync-beats/sync-engine";

/** One scheduling call: what, its arguments, and the context time and page time it was made at. */
export interface ProbeEvent {
  readonly kind: "start" | "stop" | "rate";
  readonly args: number[];
  readonly currentTime: number;
  readonly nowMs: number;
}

const events: ProbeEvent[] = [];
const log = (kind: ProbeEvent["kind"], args: number[], ctx: BaseAudioContext) =>
  events.push({ kind, args, currentTime: ctx.currentTime, nowMs: performance.now() });

const source = AudioBufferSourceNode.prototype;
const originalStart = source.start;
source.start = function start(this: AudioBufferSourceNode, ...args: number[]) {
  log("start", args, this.context);
  return originalStart.apply(this, args as Parameters<typeof originalStart>);
};
const originalStop = source.stop;
source.stop = function stop(this: AudioBufferSourceNode, ...args: number[]) {
  log("stop", args, this.context);
  return originalStop.apply(this, args as Parameters<typeof originalStop>);
};

/** How the probe drives the output: nudges every `nudgeMs` (0: none) by up to ±`nudgePpm`. */
export interface ProbePlan {
  readonly url: string;
  readonly playS: number;
  readonly nudgeMs: number;
  readonly nudgePpm: number;
}

async function run(plan: ProbePlan): Promise<{ events: ProbeEvent[]; sampleRate: number; baseLatency: number; outputLatency: number }> {
  const ctx = new AudioContext();
  await ctx.resume();
  await window.__benchTap.ready();
  const output = createWebAudioOutput({ createContext: () => ctx });
  await output.unlock();
  await output.load(plan.url);
  let rate = 1;
  output.start(plan.url, ctx.currentTime + 0.3, 0, rate);
  const started = performance.now();
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  while (performance.now() - started < plan.playS * 1000) {
    await new Promise((resolve) => setTimeout(resolve, plan.nudgeMs || 250));
    if (plan.nudgeMs > 0) {
      rate = 1 + (random() * plan.nudgePpm) / 1e6;
      log("rate", [rate], ctx);
      output.setRate(rate, ctx.currentTime);
    }
  }
  output.stop();
  return { events, sampleRate: ctx.sampleRate, baseLatency: ctx.baseLatency, outputLatency: ctx.outputLatency };
}

(window as unknown as { probe: { run: typeof run } }).probe = { run };
