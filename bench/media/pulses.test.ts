import { describe, expect, it } from "vitest";
import { locatePulse, PULSE_EVERY_FRAMES, pulseFrame, pulseSample } from "./pulses.js";

const track = (frames: number, shift: number, noise = 0) => {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  return Float32Array.from({ length: frames }, (_, i) => pulseSample(i - shift) + noise * random());
};

describe("pulse alignment signal", () => {
  it("finds each pulse where it was put, to the sample, also under coding-like noise", () => {
    const samples = track(3 * PULSE_EVERY_FRAMES, 37, 0.02);
    expect(locatePulse(samples, pulseFrame(1) + 37 + 200, 400)).toBeCloseTo(pulseFrame(1) + 37, 0);
    expect(locatePulse(samples, pulseFrame(2), 400)).toBeCloseTo(pulseFrame(2) + 37, 0);
  });

  it("reads a fractional shift (a linear-interpolated half sample) to within a tenth of a sample", () => {
    const whole = track(2 * PULSE_EVERY_FRAMES, 0);
    const half = Float32Array.from(whole, (v, i) => (v + (whole[i - 1] ?? 0)) / 2);
    expect(Math.abs(locatePulse(half, pulseFrame(1), 100)! - (pulseFrame(1) + 0.5))).toBeLessThan(0.1);
  });

  it("says null where nothing was rendered", () => {
    expect(locatePulse(new Float32Array(PULSE_EVERY_FRAMES * 2), pulseFrame(1), 400)).toBeNull();
  });
});
