/**
 * A raw capture for the alignment measurement, registered under the tap's processor name so
 * bench/sync/tap-init.ts mirrors the page's output into it: from the first render quantum with a
 * non-zero sample, it keeps up to CAPTURE_FRAMES contiguous samples of channel 0. Records are
 * `[first context frame, sample, sample, …]`. Runs in the AudioWorkletGlobalScope.
 */
declare const currentFrame: number;
declare function registerProcessor(name: string, processor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

const CAPTURE_FRAMES = 44_100 * 8;

class RawCapture extends AudioWorkletProcessor {
  private pending: number[] = [];
  private captured = 0;

  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    if (!channel || this.captured >= CAPTURE_FRAMES) return true;
    if (this.captured === 0) {
      if (!channel.some((v) => v !== 0)) return true;
      this.pending.push(currentFrame);
    }
    for (const value of channel) this.pending.push(value);
    this.captured += channel.length;
    return true;
  }

  constructor() {
    super();
    this.port.onmessage = () => {
      const batch = Float64Array.from(this.pending);
      this.pending = [];
      this.port.postMessage(batch, [batch.buffer]);
    };
  }
}

registerProcessor("timecode-tap", RawCapture);
