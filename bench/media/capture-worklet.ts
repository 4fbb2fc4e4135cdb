/**
 * A raw capture for the alignment measurement, registered under the tap's processor name so
 * bench/sync/tap-init.ts mirrors the page's output into it: from the first audible render
 * quantum (its frame is when playback started), for up to CAPTURE_FRAMES, it keeps every quantum
 * of channel 0 loud enough to hold a pulse. Sparse, so a minute of a pulse track (a 10 ms chirp
 * every 0.5 s) stays small enough to hand back to the benchmark. Records are `[context frame, n, n samples]…` (alignment.ts reads
 * them). Runs in the AudioWorkletGlobalScope.
 */
declare const currentFrame: number;
declare function registerProcessor(name: string, processor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

/** 75 s: a late join at 59:00 of a 60-minute track, played to its end, with room to spare. */
const CAPTURE_FRAMES = 44_100 * 75;
/** The capture starts at the first quantum with a sample at least this loud (−80 dBFS: the pulse track's bed). */
const AUDIBLE = 1e-4;
/** After that, only quanta this loud are kept (a pulse peaks at 0.8; the bed stays at 0.01). */
const KEPT = 0.05;

class RawCapture extends AudioWorkletProcessor {
  private pending: number[] = [];
  private firstFrame: number | null = null;

  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    if (!channel || (this.firstFrame !== null && currentFrame - this.firstFrame >= CAPTURE_FRAMES)) return true;
    if (!channel.some((v) => Math.abs(v) >= (this.firstFrame === null ? AUDIBLE : KEPT))) return true;
    this.firstFrame ??= currentFrame;
    this.pending.push(currentFrame, channel.length);
    for (const value of channel) this.pending.push(value);
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
