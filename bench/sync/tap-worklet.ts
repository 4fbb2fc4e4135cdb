/**
 * The tap processor: reads the timecode samples reaching `destination` and posts records
 * `[frame, value]` (context frame, sample value; NaN value = silence). One record per render
 * quantum, plus one wherever the ramp breaks inside a quantum (a seek, a re-seek, a stop), so
 * the analysis can place every jump to the sample. A second channel holding the timecode's
 * reference corrects the ramp for the player's gain (`tap-value.ts`). Runs in the
 * AudioWorkletGlobalScope.
 */
import { tapValue } from "./tap-value.js";

declare const currentFrame: number;
declare function registerProcessor(name: string, processor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

/** A ramp step further than this from one frame (in frames) is a break; float32 rounding is <= 0.25. */
const BREAK_FRAMES = 0.6;
const FRAMES_PER_UNIT = 2 ** 22;
const FLUSH_RECORDS = 512;

class TimecodeTap extends AudioWorkletProcessor {
  private records: number[] = [];
  private silent = true;

  process(inputs: Float32Array[][]): boolean {
    const ramp = inputs[0]?.[0];
    const reference = inputs[0]?.[1];
    const start = currentFrame;
    if (!ramp || ramp.length === 0) {
      this.records.push(start, Number.NaN);
      this.silent = true;
    } else {
      const channel = reference ? ramp.map((value, i) => tapValue(value, reference[i])) : ramp;
      for (let i = 0; i < channel.length; i += 1) {
        const value = channel[i]!;
        const isSilent = value === 0 && (channel[i + 1] ?? 0) === 0 && (i === 0 || channel[i - 1] === 0);
        const breaks = i > 0 && Math.abs((value - channel[i - 1]!) * FRAMES_PER_UNIT - 1) > BREAK_FRAMES;
        if (isSilent) {
          if (i === 0 || !this.silent) this.records.push(start + i, Number.NaN);
          this.silent = true;
        } else if (i === 0 || breaks || this.silent) {
          this.records.push(start + i, value);
          this.silent = false;
        }
      }
    }
    if (this.records.length >= 2 * FLUSH_RECORDS) this.flush();
    return true;
  }

  private flush(): void {
    const batch = Float64Array.from(this.records);
    this.records = [];
    this.port.postMessage(batch, [batch.buffer]);
  }

  constructor() {
    super();
    this.port.onmessage = () => this.flush();
  }
}

registerProcessor("timecode-tap", TimecodeTap);
