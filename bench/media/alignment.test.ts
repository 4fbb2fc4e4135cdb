import { describe, expect, it } from "vitest";
import { alignmentOf, denseCapture } from "./alignment.js";
import { PULSE_RATE, pulseSample } from "./pulses.js";

const QUANTUM = 128;

/** Sparse records as the capture keeps them: from the first audible quantum, then only those loud enough to hold a pulse. */
function sparse(firstFrame: number, samples: readonly number[]): number[] {
  const records: number[] = [];
  for (let at = 0; at < samples.length; at += QUANTUM) {
    const quantum = samples.slice(at, at + QUANTUM);
    if (quantum.some((v) => Math.abs(v) >= (records.length === 0 ? 1e-4 : 0.05))) records.push(firstFrame + at, quantum.length, ...quantum);
  }
  return records;
}

/** Records as the capture would hold them: the track from `offsetMs`, started at `when`, rendered `lateFrames` late. */
function capture(when: number, offsetMs: number, lateFrames: number, firstFrame: number, frames: number): number[] {
  const samples = Array.from({ length: frames }, (_, i) => {
    const trackFrame = firstFrame + i - when * PULSE_RATE - lateFrames + (offsetMs / 1000) * PULSE_RATE;
    return trackFrame >= 0 ? pulseSample(Math.round(trackFrame)) : 0;
  });
  return sparse(firstFrame, samples);
}

describe("alignment of a rendered pulse track", () => {
  it("rebuilds the sparse capture with its silences as zeros", () => {
    const dense = denseCapture([1000, 2, 0.5, 0.25, 1004, 1, -1]);
    expect(dense?.firstFrame).toBe(1000);
    expect(Array.from(dense!.samples)).toEqual([0.5, 0.25, 0, 0, -1]);
  });

  it("reads a rendered output 22 frames late as +0.5 ms on every pulse", () => {
    const result = alignmentOf(capture(1, 0, 22, 44_100, 4 * PULSE_RATE), PULSE_RATE, 1, 0);
    expect(result.pulses).toBeGreaterThanOrEqual(6);
    expect(result.meanMs).toBeCloseTo((22 / PULSE_RATE) * 1000, 2);
    expect(result.spreadMs).toBeLessThan(0.01);
  });

  it("places pulses of a late join (start from 20.25 s) against the offset, up to the last one rendered", () => {
    const result = alignmentOf(capture(2, 20_250, -10, 2 * PULSE_RATE, 3 * PULSE_RATE), PULSE_RATE, 2, 20_250);
    expect(result.pulses).toBeGreaterThanOrEqual(4);
    expect(result.meanMs).toBeCloseTo((-10 / PULSE_RATE) * 1000, 2);
    // Rendered from context 2 s (track 20.25 s) for 3 s: the last pulse is track 23.0 s.
    expect(result.lastPulseS).toBe(23);
    expect(result.searched).toBe(result.pulses);
  });

  it("searches a last pulse the capture cuts short (it ends with the last loud quantum)", () => {
    // The last quantum kept ends where the chirp's Hann tail falls below the kept level, ~10 frames short of its end.
    const records = capture(1, 0, 0, PULSE_RATE, 2 * PULSE_RATE + 430);
    const result = alignmentOf(records, PULSE_RATE, 1, 0);
    expect(result.lastPulseS).toBe(2);
    expect(result.searched).toBe(result.pulses);
  });

  it("finds no pulse in silence", () => {
    expect(alignmentOf(sparse(0, new Array(PULSE_RATE * 2).fill(0)), PULSE_RATE, 0, 0).meanMs).toBeNull();
  });
});
