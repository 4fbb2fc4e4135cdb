import { describe, expect, it } from "vitest";
import { planChunks, playableSpans, type ChunkPlanOptions } from "./chunk-plan.js";

const R = 1000;
const OPTIONS: ChunkPlanOptions = { firstChunkS: 0.5, chunkS: 5, aheadS: 25, behindS: 2 };
const TOTAL = 3600 * R;

describe("chunk planner", () => {
  it("[M2] a start fetches a small first chunk at the playhead, then chunks back to back, doubling up to chunkS", () => {
    expect(planChunks([], 60_000, TOTAL, R, OPTIONS).fetch).toEqual({ start: 60_000, end: 60_500 });
    const held = [{ start: 60_000, end: 60_500 }];
    const sizes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const next = planChunks(held, 60_000, TOTAL, R, OPTIONS).fetch!;
      expect(next.start).toBe(held.at(-1)!.end);
      sizes.push(next.end - next.start);
      held.push(next);
    }
    expect(sizes).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
  });

  it("[M2] the window ahead is bounded: nothing is fetched once aheadS is covered", () => {
    const held = [{ start: 0, end: 500 }, ...Array.from({ length: 5 }, (_, i) => ({ start: 500 + i * 5000, end: 5500 + i * 5000 }))];
    expect(planChunks(held, 0, TOTAL, R, OPTIONS).fetch).toBeNull();
    expect(planChunks(held, 1000, TOTAL, R, OPTIONS).fetch).toEqual({ start: 25_500, end: 30_500 });
  });

  it("[M2] what played more than behindS ago is evicted; what just played is kept", () => {
    const held = [{ start: 0, end: 500 }, { start: 500, end: 5500 }, { start: 5500, end: 10_500 }];
    expect(planChunks(held, 6000, TOTAL, R, OPTIONS).evict).toEqual([0]);
    expect(planChunks(held, 8000, TOTAL, R, OPTIONS).evict).toEqual([0, 1]);
  });

  it("[M2] a seek elsewhere drops every held span and starts small at the target", () => {
    const held = [{ start: 0, end: 500 }, { start: 500, end: 5500 }];
    const plan = planChunks(held, 2_000_000, TOTAL, R, OPTIONS);
    expect(plan.evict).toEqual([0, 1]);
    expect(plan.fetch).toEqual({ start: 2_000_000, end: 2_000_500 });
  });

  it("[M2] the last chunk stops at the track's end, and nothing is fetched past it", () => {
    expect(planChunks([{ start: 0, end: 2000 }], 0, 3000, R, OPTIONS).fetch).toEqual({ start: 2000, end: 3000 });
    expect(planChunks([{ start: 0, end: 2000 }, { start: 2000, end: 3000 }], 100, 3000, R, OPTIONS).fetch).toBeNull();
  });

  it("[M2] memory stays bounded over a 60-minute track played through", () => {
    let held: { start: number; end: number }[] = [];
    let most = 0;
    for (let playhead = 0; playhead < TOTAL; playhead += 250) {
      for (;;) {
        const plan = planChunks(held, playhead, TOTAL, R, OPTIONS);
        held = held.filter((_, i) => !plan.evict.includes(i));
        if (!plan.fetch) break;
        held.push(plan.fetch);
      }
      most = Math.max(most, held.reduce((sum, s) => sum + s.end - s.start, 0));
    }
    expect(most / R).toBeLessThanOrEqual(OPTIONS.aheadS + OPTIONS.chunkS + OPTIONS.behindS + OPTIONS.chunkS);
  });

  it("[M2] a link slower than the audio does not livelock: a fresh run starts at freshFrom, and its fetch in flight is kept while the playhead nears it", () => {
    // Nothing held at the playhead (a start whose head played out, a seek): the fetch starts where
    // the audio will be when it lands, not at the playhead the fetch would never catch.
    expect(planChunks([], 10_000, TOTAL, R, OPTIONS, 10_800).fetch).toEqual({ start: 10_800, end: 11_300 });
    // 300 ms later that fetch is still in flight, ahead of the playhead: it heads the run and stays.
    const inFlight = { start: 10_800, end: 11_300 };
    const later = planChunks([inFlight], 10_300, TOTAL, R, OPTIONS, 11_100);
    expect(later.evict).toEqual([]);
    expect(later.fetch?.start).toBe(11_300);
    // Once the playhead has passed a span for good, it is dropped and a new run starts ahead again.
    const overtaken = planChunks([inFlight], 11_400, TOTAL, R, OPTIONS, 12_200);
    expect(overtaken.evict).toEqual([0]);
    expect(overtaken.fetch).toEqual({ start: 12_200, end: 12_700 });
  });
});

describe("what is handed to playback", () => {
  const none = () => false;

  it("[M11] a short first piece that would run out before the next fetch lands waits for it, then the run plays whole", () => {
    // A start from 0 on a slow link: the head held 370 ms, the playhead is already at 230 ms, a fetch takes 420 ms.
    const head = [{ start: 0, end: 370 }];
    expect(playableSpans(head, 230, 650, 420, TOTAL, none)).toEqual([]);
    const both = [...head, { start: 370, end: 870 }];
    expect(playableSpans(both, 300, 720, 420, TOTAL, none)).toEqual([0, 1]);
  });

  it("[M11] once a run was handed out, what extends it is handed out at once (a later shortfall is a stall, not a wait)", () => {
    const held = [{ start: 0, end: 5000 }, { start: 5000, end: 5200 }];
    expect(playableSpans(held, 4900, 5300, 420, TOTAL, (i) => i === 0)).toEqual([0, 1]);
  });

  it("[M11] a fresh run after a seek plays once it is a lead ahead; the end of the track needs no lead", () => {
    expect(playableSpans([{ start: 60_500, end: 61_000 }], 60_000, 60_500, 420, TOTAL, none)).toEqual([0]);
    expect(playableSpans([{ start: 60_500, end: 60_600 }], 60_400, 60_500, 420, TOTAL, none)).toEqual([]);
    expect(playableSpans([{ start: TOTAL - 100, end: TOTAL }], TOTAL - 150, TOTAL - 100, 420, TOTAL, none)).toEqual([0]);
  });
});

