import { describe, expect, it } from "vitest";
import { encodeTimecodeSample } from "@sync-beats/demo-tracks";
import { readTap, speakerMs, wrappedDelta } from "./analysis.js";

const WRAP = 2 ** 22;
const code = (frame: number) => encodeTimecodeSample(frame % WRAP);

describe("bench:media tap reading", () => {
  it("[M4] a seamless run: first frame and timecode found, no discontinuity, across a wrap too", () => {
    const records = [0, Number.NaN, 128, Number.NaN];
    for (let f = 256; f < 2000; f += 128) records.push(f, code(WRAP - 1000 + f - 256));
    const reading = readTap(records, WRAP);
    expect(reading.firstFrame).toBe(256);
    expect(reading.firstTimecode).toBe(WRAP - 1000);
    expect(reading.discontinuities).toBe(0);
    expect(reading.settled).toEqual({ frame: 384, timecode: WRAP - 1000 + 128 });
  });

  it("[M4] a jump of one frame and a gap of silence (however long) each count once", () => {
    const records = [0, code(100), 128, code(228), 256, code(385), 384, Number.NaN, 512, Number.NaN, 640, code(768)];
    expect(readTap(records, WRAP).discontinuities).toBe(2);
  });

  it("[M4] the step off a first sample interpolated by a sub-sample start is not a discontinuity; a later one is", () => {
    const start = [0, code(0) * 0.4, 1, code(1)];
    for (let f = 128; f < 1000; f += 128) start.push(f, code(f));
    expect(readTap(start, WRAP).discontinuities).toBe(0);
    expect(readTap([...start, 1024, code(2000)], WRAP).discontinuities).toBe(1);
  });

  it("[M4] wrapped distances", () => {
    expect(wrappedDelta(5, WRAP - 5, WRAP)).toBe(10);
    expect(wrappedDelta(WRAP - 5, 5, WRAP)).toBe(-10);
  });
});

describe("bench:media speaker time", () => {
  it("maps a context frame to page time by the latest output timestamp, not the first", () => {
    // The clock stood still, then ran: (0.05 s, 1000 ms) early on, (0.10 s, 1900 ms) once running.
    const stamps = [0.05, 1000, 0.1, 1900];
    // Frame 6615 at 44.1 kHz is context time 0.15 s: 50 ms after the latest stamp.
    expect(speakerMs(stamps, 44_100, 6615)).toBeCloseTo(1950, 9);
  });
});
