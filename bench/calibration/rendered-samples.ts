/**
 * What one page rendered, as samples, rebuilt from the rendered-output tap's records (pure).
 *
 * The tap (`bench/sync/tap-worklet.ts`) posts `[frame, value]` pairs: one per render quantum, one
 * wherever the signal is not the timecode ramp's one-step-per-frame continuation (so a sweep gets
 * a record for every frame), and a NaN value where silence starts. Between two records the
 * sample therefore continues the ramp from the earlier one, or stays silent after a NaN.
 */

/** One timecode step per frame, as the tap defines the ramp. */
const RAMP_STEP = 2 ** -22;

/** A page's rendered samples, appended to as the tap's records come in. */
export class RenderedSamples {
  private frames = new Float64Array(1024);
  private values = new Float64Array(1024);
  private count = 0;
  /** Every frame before this one has been recorded (the tap was flushed past it). */
  private completeTo = 0;

  /** Adds records `[frame, value, ...]` (in frame order) and says that every frame before `completeToFrame` is in. */
  append(records: readonly number[], completeToFrame: number): void {
    for (let i = 0; i + 1 < records.length; i += 2) {
      if (this.count === this.frames.length) this.grow();
      this.frames[this.count] = records[i]!;
      this.values[this.count] = records[i + 1]!;
      this.count++;
    }
    this.completeTo = Math.max(this.completeTo, completeToFrame);
  }

  /** Frames before this one are known. */
  get knownToFrame(): number {
    return this.completeTo;
  }

  /** The sample rendered at integer `frame` (0 before the first record and in silence). */
  sampleAt(frame: number): number {
    const index = this.recordAtOrBefore(frame);
    if (index < 0) return 0;
    const value = this.values[index]!;
    return Number.isNaN(value) ? 0 : value + (frame - this.frames[index]!) * RAMP_STEP;
  }

  /** The rendered signal at fractional `frame`, linearly interpolated between its two neighbours. */
  valueAt(frame: number): number {
    const low = Math.floor(frame);
    const fraction = frame - low;
    const left = this.sampleAt(low);
    return fraction === 0 ? left : left + (this.sampleAt(low + 1) - left) * fraction;
  }

  /** First frames of sound after silence (or at the start) in `[fromFrame, toFrame)`: where each signal began. */
  onsets(fromFrame: number, toFrame: number): number[] {
    const found: number[] = [];
    for (let i = 0; i < this.count; i++) {
      const frame = this.frames[i]!;
      if (frame < fromFrame || frame >= toFrame || Number.isNaN(this.values[i]!)) continue;
      if (i === 0 || Number.isNaN(this.values[i - 1]!)) found.push(frame);
    }
    return found;
  }

  private recordAtOrBefore(frame: number): number {
    let low = 0;
    let high = this.count - 1;
    if (high < 0 || this.frames[0]! > frame) return -1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.frames[mid]! <= frame) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  private grow(): void {
    const frames = new Float64Array(this.frames.length * 2);
    const values = new Float64Array(this.values.length * 2);
    frames.set(this.frames);
    values.set(this.values);
    this.frames = frames;
    this.values = values;
  }
}
