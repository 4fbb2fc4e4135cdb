import { describe, expect, it } from "vitest";
import { convergeTime, errorSeries, interClientOffsets, jumpLatenessMs, positionAt, renderedTrack, unstickFrames, type RenderedTrack } from "./analysis.js";
import { encodeTimecodeSample } from "@sync-beats/demo-tracks";

/** A client heard at bench times `t` playing `position(t)`, one record per 2.9 ms quantum. */
function track(fromMs: number, toMs: number, position: (t: number) => number): RenderedTrack {
  const times: number[] = [];
  for (let t = fromMs; t < toMs; t += 128 / 44.1) times.push(t);
  return {
    atMs: Float64Array.from(times),
    positionMs: Float64Array.from(times.map(position)),
    segments: [],
    stampCount: 0,
    residualP99Ms: 0,
  };
}

describe("analysis", () => {
  const events = [
    { atMs: 1000, positionMs: 0 },
    { atMs: 3000, positionMs: 10_000 },
  ];
  const onTime = (lagMs: number) => (t: number) => (t < 3000 + lagMs ? t - 1000 - lagMs : 10_000 + t - 3000 - lagMs);

  it("extrapolates between quanta and is silent outside the records", () => {
    const client = track(1000, 2000, (t) => t - 1000);
    expect(positionAt(client, 1500)).toBeCloseTo(500, 6);
    expect(positionAt(client, 900)).toBeNull();
    expect(positionAt(client, 2100)).toBeNull();
  });

  it("measures inter-client offsets and errors against the timeline", () => {
    const series = errorSeries([track(1000, 5000, onTime(0)), track(1000, 5000, onTime(2))], events, 1000, 5000, 5);
    const offsets = interClientOffsets(series, 1500, 2900).offsetsMs;
    expect(Math.max(...offsets)).toBeCloseTo(2, 6);
    expect(Math.min(...offsets)).toBeCloseTo(2, 6);
  });

  it("converges once the error stays under the threshold for the hold time", () => {
    // Error shrinks linearly from 20 ms to 0 over the first second after the seek.
    const client = track(1000, 6000, (t) => (t < 3000 ? t - 1000 : 10_000 + t - 3000 + Math.max(0, 20 - (t - 3000) / 50)));
    const series = errorSeries([client], events, 1000, 6000, 5);
    const converged = convergeTime(series, 0, 3000, 6000, 3, 2000);
    expect(converged).not.toBeNull();
    expect(converged!).toBeGreaterThan(845);
    expect(converged!).toBeLessThan(860);
  });

  it("dates a seek jump by when the client played the seek target", () => {
    const late = track(1000, 5000, onTime(2));
    expect(jumpLatenessMs(late, 3000, 10_000, 1000)).toBeCloseTo(2, 6);
    expect(jumpLatenessMs(track(1000, 5000, (t) => t - 1000), 3000, 10_000, 1000)).toBeNull();
  });

  it("skips the one interpolated sample where a source starts between frames", () => {
    const stamps: number[] = [];
    for (let i = 0; i < 200; i += 1) stamps.push(0.1 + i * 0.01, 500 + (0.1 + i * 0.01) * 1000);
    // Frames 0..255 play track frames 1000..; at frame 256 a re-seek starts at track frame 44100
    // (1 s), its first sample half-way from zero.
    const records = [0, encodeTimecodeSample(1000), 128, encodeTimecodeSample(1128), 256, encodeTimecodeSample(44_100) / 2, 257, encodeTimecodeSample(44_101)];
    const track = renderedTrack({ realTimeOrigin: 0, shiftMs: 0, sampleRate: 44_100, records, stamps, baseLatency: 0 }, 0)!;
    expect(track.atMs).toHaveLength(3);
    expect(track.positionMs[2]).toBeCloseTo(1000 + 1000 / 44_100, 6);
  });

  it("gives stuck tap frames back (a run of equal frames whose samples ran on), and leaves real repeats alone", () => {
    const value = (frame: number) => frame / 2 ** 22;
    // Quanta at 0, 128, ...: the tap read frame 512 four times (512..896), then 1024 as it should.
    const frames = [0, 128, 256, 384, 512, 512, 512, 512, 1024, 1152];
    const trueFrames = [0, 128, 256, 384, 512, 640, 768, 896, 1024, 1152];
    const records = frames.flatMap((f, i) => [f, value(trueFrames[i]!)]);
    expect(unstickFrames(records)).toBe(3);
    expect(records.filter((_, i) => i % 2 === 0)).toEqual(trueFrames);
    // A next record too close for the run to be quanta (a break record inside one): left alone.
    const tight = [0, value(0), 0, value(128), 200, value(328)];
    expect(unstickFrames(tight)).toBe(0);
    expect(tight[2]).toBe(0);
    // Silence records are never renumbered.
    const silent = [0, Number.NaN, 0, Number.NaN, 512, Number.NaN];
    expect(unstickFrames(silent)).toBe(0);
  });
});
