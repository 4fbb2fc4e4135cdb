import { describe, expect, it } from "vitest";
import { micSignal, roomImpulse, seededRandom } from "../test/synthetic-room.js";
import { DEFAULT_SCHEDULE_SHAPE, type DeviceMeasurement, measureSlots, median, planSlots, roomCorrections, scheduleEndMs, searchWindow } from "./index.js";

const shape = DEFAULT_SCHEDULE_SHAPE;

describe("schedule geometry", () => {
  it("[CAL6] every device plays once per round, in turn, one slot apart, the two codes alternating slot by slot", () => {
    const slots = planSlots(["a", "b", "c"], 1000, { ...shape, slotMs: 450, repeats: 2, codes: 2 });
    expect(slots.map((slot) => [slot.key, slot.atServerMs, slot.code])).toEqual([
      ["a", 1000, 0], ["b", 1450, 1], ["c", 1900, 0], ["a", 2350, 1], ["b", 2800, 0], ["c", 3250, 1],
    ]);
    expect(planSlots(["a", "b"], 0, { ...shape, codes: 1 }).map((slot) => slot.code)).toEqual([0, 0, 0, 0]);
  });

  it("[CAL6] a slot's search window, its signal included, ends before the next slot of the same code begins", () => {
    for (const codes of [1, 2] as const) {
      const slots = planSlots(["a", "b", "c"], 0, { ...shape, codes });
      const window = searchWindow(slots[0]!, { ...shape, codes });
      const sameCode = slots.find((slot, index) => index > 0 && slot.code === slots[0]!.code)!;
      expect(window.toMs + shape.sweep.durationMs).toBe(searchWindow(sameCode, { ...shape, codes }).fromMs);
    }
    const [first, second] = planSlots(["a", "b"], 0, shape);
    expect(scheduleEndMs([first!, second!], shape)).toBe(searchWindow(second!, shape).toMs + shape.sweep.durationMs);
  });

  it("[CAL6] the default layout covers a 700 ms Bluetooth path and plays 8 devices twice in under 8 s", () => {
    const slots = planSlots(["a", "b", "c", "d", "e", "f", "g", "h"], 0, shape);
    expect(searchWindow(slots[0]!, shape).toMs).toBeGreaterThanOrEqual(700);
    expect(scheduleEndMs(slots, shape)).toBeLessThan(8000);
  });
});

/** A room of devices with hidden lateness (output path + distance) and gain, heard by one microphone. */
function recordRoom(
  latenessMs: Record<string, number | null>,
  options: { inputLatencyMs: number; sampleRate: number; seed: number; gains?: Record<string, number>; snrDb?: number; rt60S?: number },
) {
  const random = seededRandom(options.seed);
  const keys = Object.keys(latenessMs);
  const startServerMs = 50_000;
  const slots = planSlots(keys, startServerMs + 200, shape);
  // The recorder's clock map says sample 0 is at startServerMs; what it hears then happened inputLatency earlier.
  const arrivals = slots.flatMap((slot) => {
    const lateness = latenessMs[slot.key];
    if (lateness === null || lateness === undefined) return [];
    const gain = options.gains?.[slot.key] ?? 0.3 + 0.4 * random();
    return [{ delayS: (slot.atServerMs + lateness + options.inputLatencyMs - startServerMs) / 1000, gain, code: slot.code }];
  });
  const samples = micSignal({
    sweep: shape.sweep,
    sampleRate: options.sampleRate,
    lengthS: (scheduleEndMs(slots, shape) - startServerMs) / 1000 + 0.2,
    arrivals,
    room: roomImpulse(options.sampleRate, options.rt60S ?? 0.6, 0.7, random),
    snrDb: options.snrDb ?? 15,
    random,
  });
  return measureSlots({ samples, sampleRate: options.sampleRate, startServerMs }, slots, shape);
}

/** Every device heard, each corrected by its lateness minus the room's median lateness, within 0.1 ms. */
function expectAligned(measured: DeviceMeasurement[], hidden: Record<string, number>): void {
  expect(measured.every((m) => m.heard), JSON.stringify(measured)).toBe(true);
  const corrections = roomCorrections(measured);
  const reference = median(Object.values(hidden));
  for (const [key, lateness] of Object.entries(hidden)) {
    expect(Math.abs(corrections.get(key)! - (lateness - reference)), key).toBeLessThan(0.1);
  }
}

describe("measureSlots and roomCorrections", () => {
  it("[CAL7] the corrections undo each device's lateness relative to the room, the input latency cancelling", () => {
    const hidden = { a: 0, b: 35, c: 180, d: 260 };
    expectAligned(recordRoom(hidden, { inputLatencyMs: 43.7, sampleRate: 48_000, seed: 9 }), hidden);
  }, 60_000);

  it("[CAL8] a silent device is reported not heard and gets no correction; the others are still aligned", () => {
    const measured = recordRoom({ a: 10, b: null, c: 90 }, { inputLatencyMs: 20, sampleRate: 44_100, seed: 4 });
    const silent = measured.find((m) => m.key === "b") as DeviceMeasurement;
    expect(silent).toMatchObject({ heard: false, reason: "below-threshold" });
    const corrections = roomCorrections(measured);
    expect(corrections.has("b")).toBe(false);
    expect(corrections.get("c")! - corrections.get("a")!).toBeCloseTo(80, 1);
  }, 60_000);

  it("[CAL1] near-far: a quiet device between two loud ones whose other-code signals reach into its window is placed within 0.1 ms", () => {
    // b is 13 dB below its neighbours; a's 600 ms path lands in b's window, and c's sweep (next slot) too.
    const hidden = { a: 600, b: 20, c: 0, d: 300 };
    const gains = { a: 0.9, b: 0.2, c: 0.9, d: 0.5 };
    expectAligned(recordRoom(hidden, { inputLatencyMs: 12, sampleRate: 48_000, seed: 21, gains, snrDb: 10, rt60S: 0.8 }), hidden);
  }, 60_000);

  it("[CAL1][CAL8] a silent device between two loud ones is refused, not given their arrivals", () => {
    const measured = recordRoom({ a: 600, b: null, c: 0 }, { inputLatencyMs: 12, sampleRate: 44_100, seed: 22, gains: { a: 0.9, c: 0.9 }, rt60S: 0.8 });
    expect(measured.find((m) => m.key === "b")).toMatchObject({ heard: false, reason: "below-threshold" });
    expect(measured.filter((m) => m.heard).map((m) => m.key)).toEqual(["a", "c"]);
  }, 60_000);
});
