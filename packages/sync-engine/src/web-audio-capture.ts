import type { AudioCapture, CapturedAudio } from "./types.js";

/** Frames per chunk posted by the recorder worklet, and per ScriptProcessor callback. */
const CHUNK_FRAMES = 4096;
/** A recorder that does not answer its stop within this long (its context stopped) hands over what it has. */
const STOP_TIMEOUT_MS = 2000;
const PROCESSOR_NAME = "sync-beats-capture";

/**
 * The recorder worklet: copies its input into chunks and posts each with the context frame of its
 * first sample (`currentFrame`), on the audio thread. Posted from a Blob URL: Chromium loads worklet
 * modules outside the page's script-src; where a browser refuses, the ScriptProcessor records.
 */
const PROCESSOR_SOURCE = `
registerProcessor(${JSON.stringify(PROCESSOR_NAME)}, class extends AudioWorkletProcessor {
  constructor() {
    super();
    this.chunk = new Float32Array(${CHUNK_FRAMES});
    this.filled = 0;
    this.from = 0;
    this.stopped = false;
    this.port.onmessage = () => {
      this.flush();
      this.stopped = true;
      this.port.postMessage({ done: true });
    };
  }
  flush() {
    if (this.filled === 0) return;
    const samples = this.chunk.slice(0, this.filled);
    this.port.postMessage({ from: this.from, samples }, [samples.buffer]);
    this.filled = 0;
  }
  process(inputs) {
    if (this.stopped) return false;
    const input = inputs[0] && inputs[0][0];
    const frames = input ? input.length : 128;
    for (let i = 0; i < frames; i++) {
      if (this.filled === 0) this.from = currentFrame + i;
      this.chunk[this.filled++] = input ? input[i] : 0;
      if (this.filled === this.chunk.length) this.flush();
    }
    return true;
  }
});`;

const moduleUrls = new WeakMap<BaseAudioContext, Promise<void>>();

/**
 * Records a microphone stream inside the playback context, so recorded samples share the clock
 * the engine maps to server time. An AudioWorklet recorder stamps every chunk with its context
 * frame, on the audio thread: a busy main thread delays the chunks but neither loses nor moves
 * them. (A ScriptProcessorNode does both: callbacks queued behind a stalled main thread all read
 * the two latest buffers, measured in headless Chromium.) Where the worklet cannot load, the
 * ScriptProcessor records instead.
 */
export function captureInput(context: AudioContext, stream: MediaStream): AudioCapture {
  const source = context.createMediaStreamSource(stream);
  const chunks: { from: number; samples: Float32Array }[] = [];
  let fallback: AudioCapture | null = null;
  let node: AudioWorkletNode | null = null;
  let stopped = false;
  const done = { resolve: () => undefined as void };
  const finished = new Promise<void>((resolve) => (done.resolve = resolve));
  const started = loadRecorder(context).then(
    () => {
      if (stopped) return;
      node = new AudioWorkletNode(context, PROCESSOR_NAME, { numberOfInputs: 1, numberOfOutputs: 0 });
      node.port.onmessage = (event: MessageEvent<{ from: number; samples: Float32Array } | { done: true }>) => {
        if ("done" in event.data) done.resolve();
        else chunks.push(event.data);
      };
      source.connect(node);
    },
    () => {
      if (!stopped) fallback = captureWithScriptProcessor(context, source);
    },
  );
  return {
    async stop(): Promise<CapturedAudio> {
      stopped = true;
      await started;
      const result = fallback ? await fallback.stop() : await stopRecorder(node, finished, chunks, context);
      source.disconnect();
      for (const track of stream.getTracks()) track.stop();
      return result;
    },
  };
}

function loadRecorder(context: AudioContext): Promise<void> {
  let loaded = moduleUrls.get(context);
  if (!loaded) {
    const url = URL.createObjectURL(new Blob([PROCESSOR_SOURCE], { type: "text/javascript" }));
    loaded = context.audioWorklet.addModule(url).finally(() => URL.revokeObjectURL(url));
    moduleUrls.set(context, loaded);
  }
  return loaded;
}

async function stopRecorder(
  node: AudioWorkletNode | null,
  finished: Promise<void>,
  chunks: readonly { from: number; samples: Float32Array }[],
  context: AudioContext,
): Promise<CapturedAudio> {
  if (node) {
    node.port.postMessage("stop");
    await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS))]);
    node.disconnect();
  }
  return stitch(chunks, context.sampleRate, context.currentTime);
}

/** The chunks laid out at their frames, silence in any gap (none is expected). */
export function stitch(chunks: readonly { from: number; samples: Float32Array }[], sampleRate: number, nowContextTime: number): CapturedAudio {
  if (chunks.length === 0) return { samples: new Float32Array(0), sampleRate, firstContextTime: nowContextTime };
  const first = chunks[0]!.from;
  const last = chunks[chunks.length - 1]!;
  const samples = new Float32Array(last.from + last.samples.length - first);
  for (const chunk of chunks) samples.set(chunk.samples, chunk.from - first);
  return { samples, sampleRate, firstContextTime: first / sampleRate };
}

/**
 * The fallback recorder. Its per-callback timestamps jitter by ~10 ms, but its samples come
 * contiguous while the main thread keeps up, so sample n is `first + n / sampleRate` and only
 * `first` is fitted (the median of every callback's estimate of it). A constant error in `first`
 * shifts every arrival alike and cancels in calibration.
 */
function captureWithScriptProcessor(context: AudioContext, source: MediaStreamAudioSourceNode): AudioCapture {
  const processor = context.createScriptProcessor(CHUNK_FRAMES, 1, 1);
  // The processor only runs when connected to the destination; through a muted gain it stays silent.
  const mute = context.createGain();
  mute.gain.value = 0;
  const chunks: Float32Array[] = [];
  const firstEstimates: number[] = [];
  let frames = 0;
  processor.onaudioprocess = (event) => {
    chunks.push(new Float32Array(event.inputBuffer.getChannelData(0)));
    // playbackTime belongs to the output block; the input block was captured one block earlier.
    firstEstimates.push(event.playbackTime - (frames + CHUNK_FRAMES) / context.sampleRate);
    frames += CHUNK_FRAMES;
  };
  source.connect(processor);
  processor.connect(mute);
  mute.connect(context.destination);
  return {
    async stop(): Promise<CapturedAudio> {
      processor.onaudioprocess = null;
      processor.disconnect();
      mute.disconnect();
      const samples = new Float32Array(frames);
      let at = 0;
      for (const chunk of chunks) {
        samples.set(chunk, at);
        at += chunk.length;
      }
      const sorted = [...firstEstimates].sort((a, b) => a - b);
      const firstContextTime = sorted[Math.floor(sorted.length / 2)] ?? context.currentTime;
      return { samples, sampleRate: context.sampleRate, firstContextTime };
    },
  };
}
