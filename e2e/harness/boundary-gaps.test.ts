import { encodeTimecodeSample } from "@sync-beats/demo-tracks";
import { describe, expect, it } from "vitest";
import { boundaryGaps } from "./boundary-gaps.js";

/** Tap records of tracks of `lengths` frames rendered back to back from frame 1000, with `gap` frames between. */
function render(lengths: number[], gap: number, skip = 0): number[] {
  const records: number[] = [0, Number.NaN];
  let frame = 1_000;
  for (const [index, length] of lengths.entries()) {
    const from = index === 0 ? 0 : skip;
    for (let position = from; position < length; position += 128) records.push(frame + position - from, encodeTimecodeSample(position));
    frame += length - from;
    if (gap > 0) records.push(frame, Number.NaN);
    frame += gap;
  }
  return records;
}

describe("boundary gaps", () => {
  it("[Q8] back to back: no gap; silence between: its length; a late start: the part skipped", () => {
    expect(boundaryGaps(render([44_100, 22_050, 22_050], 0), 44_100, [44_100, 22_050]).map((g) => g.gapMs)).toEqual([0, 0]);
    const silent = boundaryGaps(render([44_100, 22_050], 441), 44_100, [44_100]);
    expect(silent).toHaveLength(1);
    expect(silent[0]!.gapMs).toBeCloseTo(10, 6);
    expect(boundaryGaps(render([44_100, 22_050], 0, 441), 44_100, [44_100])[0]!.skippedMs).toBeCloseTo(10, 6);
  });

  it("[Q8] the silent sample the tap records right before a sound is no track end", () => {
    const records = [0, Number.NaN, 999, 0, ...render([44_100, 22_050], 0).slice(2)];
    expect(boundaryGaps(records, 44_100, [44_100]).map((g) => g.gapMs)).toEqual([0]);
  });

  it("[Q8] a track cut short shows as a negative gap", () => {
    // The first track stops 441 frames (10 ms) before its end and the next starts right there.
    const records = [...render([44_100 - 441], 0), ...render([22_050], 0).slice(2).map((v, i) => (i % 2 === 0 ? v + 44_100 - 441 : v))];
    expect(boundaryGaps(records, 44_100, [44_100])[0]!.gapMs).toBeCloseTo(-10, 6);
  });
});
