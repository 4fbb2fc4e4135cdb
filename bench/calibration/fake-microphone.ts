/**
 * The measuring page's microphone, driven by the test: `getUserMedia` answers with a stream whose
 * source node, inside the page's own AudioContext, plays the samples the test pushes at the
 * context frames it names (an AudioWorklet; silence where nothing was pushed). Same context as
 * the engine's recorder, so no cross-context resampling buffer adds jitter. The constraints of
 * every call are kept in `window.__micCalls`.
 */
import type { BrowserContext, Page } from "playwright-core";

/** The worklet, as source text: it runs in the AudioWorkletGlobalScope, where nothing is bundled. */
const MICROPHONE_WORKLET = `
class SimulatedMicrophone extends AudioWorkletProcessor {
  constructor() {
    super();
    this.blocks = [];
    this.port.onmessage = (event) => this.blocks.push(event.data);
  }
  process(_inputs, outputs) {
    const out = outputs[0][0];
    const first = currentFrame;
    while (this.blocks.length > 0 && this.blocks[0].from + this.blocks[0].samples.length <= first) this.blocks.shift();
    for (const block of this.blocks) {
      const start = Math.max(0, block.from - first);
      const end = Math.min(out.length, block.from + block.samples.length - first);
      for (let i = start; i < end; i++) out[i] = block.samples[first + i - block.from];
    }
    return true;
  }
}
registerProcessor("simulated-microphone", SimulatedMicrophone);
`;

/** Installs the simulated microphone on every page `context` opens from now on. */
export async function installFakeMicrophone(context: BrowserContext): Promise<void> {
  await context.addInitScript((workletSource: string) => {
    const calls: unknown[] = [];
    const state = { node: null as AudioWorkletNode | null, context: null as AudioContext | null };
    const moduleUrl = URL.createObjectURL(new Blob([workletSource], { type: "text/javascript" }));
    const loaded = new Map<BaseAudioContext, Promise<void>>();
    const NativeContext = window.AudioContext;
    window.AudioContext = new Proxy(NativeContext, {
      construct(target, args: unknown[], newTarget) {
        const created = Reflect.construct(target, args, newTarget) as AudioContext;
        loaded.set(created, created.audioWorklet.addModule(moduleUrl));
        return created;
      },
    });
    const simulated = new WeakSet<MediaStream>();
    const nativeSource = AudioContext.prototype.createMediaStreamSource;
    AudioContext.prototype.createMediaStreamSource = function createMediaStreamSource(this: AudioContext, stream: MediaStream) {
      if (!simulated.has(stream)) return nativeSource.call(this, stream);
      const node = new AudioWorkletNode(this, "simulated-microphone", { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1] });
      state.node = node;
      state.context = this;
      return node as unknown as MediaStreamAudioSourceNode;
    };
    const devices = navigator.mediaDevices;
    (window as unknown as Record<string, unknown>).__micCalls = calls;
    (window as unknown as Record<string, unknown>).__fakeMicrophone = {
      /** Queues `samples` from context frame `from`; says whether a recorder listens and where it renders now. */
      push(from: number, samples: number[]): { open: boolean; frame: number | null } {
        const { node, context } = state;
        if (!node || !context) return { open: false, frame: null };
        node.port.postMessage({ from, samples: Float32Array.from(samples) });
        return { open: true, frame: Math.floor(context.currentTime * context.sampleRate) };
      },
    };
    if (!devices) return;
    devices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
      calls.push(constraints ?? null);
      await Promise.all(loaded.values());
      const stream = new MediaStream();
      simulated.add(stream);
      return stream;
    };
  }, MICROPHONE_WORKLET);
}

/** Pushes microphone samples to `page` from context frame `from`. */
export function pushMicrophone(page: Page, from: number, samples: Float32Array): Promise<{ open: boolean; frame: number | null }> {
  return page.evaluate(
    ({ from, samples }) => (window as unknown as { __fakeMicrophone: { push(from: number, samples: number[]): { open: boolean; frame: number | null } } }).__fakeMicrophone.push(from, samples),
    { from, samples: Array.from(samples) },
  );
}
