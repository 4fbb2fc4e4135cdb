/**
 * The measuring page's simulated microphone, as an init script (bundled by `fake-microphone.ts`):
 * `getUserMedia` answers with a stream whose source node, inside the page's own AudioContext,
 * plays the samples the test pushes at the context frames it names (the `simulated-microphone`
 * worklet; silence where nothing was pushed). Same context as the engine's recorder, so no
 * cross-context resampling buffer adds jitter. Every call's constraints go to `window.__micCalls`.
 * Its one track reports `window.__MICROPHONE_LATENCY_S__` as its input latency, as Chromium's
 * `getSettings().latency` does for a real microphone, and closes the microphone when stopped.
 */
export {};

declare global {
  interface Window {
    __MICROPHONE_WORKLET__: string;
    __MICROPHONE_LATENCY_S__: number;
    __micCalls: unknown[];
    __fakeMicrophone: {
      /**
       * Queues samples from context frame `from` (float32 bytes as base64: a third of a JSON
       * array's size, and no number parsing on a starved page); says whether a recorder listens
       * and where it renders now.
       */
      push(from: number, base64: string): { open: boolean; frame: number | null };
    };
  }
}

const calls: unknown[] = [];
const state = { node: null as AudioWorkletNode | null, context: null as AudioContext | null, open: false };
const moduleUrl = URL.createObjectURL(new Blob([window.__MICROPHONE_WORKLET__], { type: "text/javascript" }));
const loaded = new Map<BaseAudioContext, Promise<void>>();

window.AudioContext = new Proxy(window.AudioContext, {
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
  state.open = true;
  return node as unknown as MediaStreamAudioSourceNode;
};

window.__micCalls = calls;
window.__fakeMicrophone = {
  push(from, base64) {
    const { node, context } = state;
    if (!node || !context || !state.open) return { open: false, frame: null };
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const samples = new Float32Array(bytes.buffer);
    node.port.postMessage({ from, samples }, [samples.buffer]);
    return { open: true, frame: Math.floor(context.currentTime * context.sampleRate) };
  },
};

if (navigator.mediaDevices) {
  navigator.mediaDevices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    calls.push(constraints ?? null);
    await Promise.all(loaded.values());
    const stream = new MediaStream();
    // A stand-in for the one audio track: what the engine asks of it (its settings, stop).
    const track = {
      kind: "audio",
      getSettings: () => ({ latency: window.__MICROPHONE_LATENCY_S__, echoCancellation: false, noiseSuppression: false, autoGainControl: false }),
      stop: () => {
        state.open = false;
      },
    } as unknown as MediaStreamTrack;
    stream.getTracks = () => [track];
    stream.getAudioTracks = () => [track];
    simulated.add(stream);
    return stream;
  };
}
