import { describe, expect, it } from "vitest";
import { micSignal, roomImpulse, seededRandom } from "../test/synthetic-room.js";
import { DEFAULT_SCHEDULE_SHAPE, type DeviceMeasurement, measureSlots, planSlots, roomCorrections, scheduleEndMs, searchWindow } from "./index.js";

const shape = DEFAULT_SCHEDULE_SHAPE;

describe("schedule geometry", () => {
  it("[CAL6] every device plays once per round, in turn, one slot apart", () => {
    const slots = planSlots(["a", "b", "c"], 1000, { ...shape, repeats: 2 });
    expect(slots.map((slot) => [slot.key, slot.atServerMs])).toEqual([
      ["a", 1000], ["b", 2000], ["c", 3000], ["a", 4000], ["b", 5000], ["c", 6000],
    ]);
  });

  it("[CAL6] a slot's search window ends before the next slot's begins, the sweep included", () => {
    const [first, second] = planSlots(["a", "b"], 0, shape);
    const window = searchWindow(first!, shape);
    expect(window.toMs + shape.sweep.durationMs).toBeLessThanOrEqual(searchWindow(second!, shape).fromMs);
    expect(scheduleEndMs([first!, second!], shape)).toBe(searchWindow(second!, shape).toMs + shape.sweep.durationMs);
  });
});

/** A room of devices with hidden lateness (output path + distance), heard by one microphone. */
function recordRoom(latenessMs: Record<string, number | null>, options: { inputLatencyMs: number; sampleRate: number; seed: number }) {
  const random = seededRandom(options.seed);
  const keys = Object.keys(latenessMs);
  const startServerMs = 50_000;
  const slots = planSlots(keys, startServerMs + 200, shape);
  // The recorder's clock map says sample 0 is at startServerMs; what it hears then happened inputLatency earlier.
  const arrivals = slots.flatMap((slot) => {
    const lateness = latenessMs[slot.key];
    if (lateness === null || lateness === undefined) return [];
    return [{ delayS: (slot.atServerMs + lateness + options.inputLatencyMs - startServerMs) / 1000, gain: 0.3 + 0.4 * random() }];
  });
  const samples = micSignal({
    sweep: shape.sweep,
    sampleRate: options.sampleRate,
    lengthS: (scheduleEndMs(slots, shape) - startServerMs) / 1000 + 0.2,
    arrivals,
    room: roomImpulse(options.sampleRate, 0.6, 0.7, random),
    snrDb: 15,
    random,
  });
  return measureSlots({ samples, sampleRate: options.sampleRate, startServerMs }, slots, shape);
}

describe("measureSlots and roomCorrections", () => {
  it("[CAL7] the corrections undo each device's lateness relative to the room, the input latency cancelling", () => {
    const hidden = { a: 0, b: 35, c: 180, d: 260 };
    const measured = recordRoom(hidden, { inputLatencyMs: 43.7, sampleRate: 48_000, seed: 9 });
    expect(measured.every((m) => m.heard)).toBe(true);
    const corrections = roomCorrections(measured);
    const reference = (35 + 180) / 2;
    for (const [key, lateness] of Object.entries(hidden)) {
      expect(Math.abs(corrections.get(key)! - (lateness - reference)), key).toBeLessThan(0.1);
    }
  }, 60_000);

  it("[CAL8] a silent device is reported not heard and gets no correction; the others are still aligned", () => {
    const measured = recordRoom({ a: 10, b: null, c: 90 }, { inputLatencyMs: 20, sampleRate: 44_100, seed: 4 });
    const silent = measured.find((m) => m.key === "b") as DeviceMeasurement;
    expect(silent).toMatchObject({ heard: false, reason: "below-threshold" });
    const corrections = roomCorrections(measured);
    expect(corrections.has("b")).toBe(false);
    expect(corrections.get("c")! - corrections.get("a")!).toBeCloseTo(80, 1);
  }, 60_000);
});
