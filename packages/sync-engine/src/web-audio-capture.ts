import type { AudioCapture, CapturedAudio } from "./types.js";

/** Frames per capture callback: large enough that a busy main thread drops nothing. */
const BUFFER_FRAMES = 4096;

/**
 * Records a microphone stream inside the playback context, so recorded samples share the clock
 * the engine maps to server time. A `ScriptProcessorNode` (no worklet module to load, so no
 * script source for the page's CSP to allow): its per-callback timestamps jitter by ~10 ms, but
 * samples arrive contiguous, so sample n is `first + n / sampleRate` and only `first` is fitted
 * (the median of every callback's estimate of it). A constant error in `first` shifts every
 * arrival alike and cancels in calibration.
 */
export function captureInput(context: AudioContext, stream: MediaStream): AudioCapture {
  const source = context.createMediaStreamSource(stream);
  const processor = context.createScriptProcessor(BUFFER_FRAMES, 1, 1);
  // The processor only runs when connected to the destination; through a muted gain it stays silent.
  const mute = context.createGain();
  mute.gain.value = 0;
  const chunks: Float32Array[] = [];
  const firstEstimates: number[] = [];
  let frames = 0;
  processor.onaudioprocess = (event) => {
    chunks.push(new Float32Array(event.inputBuffer.getChannelData(0)));
    // playbackTime belongs to the output block; the input block was captured one block earlier.
    firstEstimates.push(event.playbackTime - (frames + BUFFER_FRAMES) / context.sampleRate);
    frames += BUFFER_FRAMES;
  };
  source.connect(processor);
  processor.connect(mute);
  mute.connect(context.destination);
  return {
    stop(): CapturedAudio {
      processor.onaudioprocess = null;
      source.disconnect();
      processor.disconnect();
      mute.disconnect();
      for (const track of stream.getTracks()) track.stop();
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
