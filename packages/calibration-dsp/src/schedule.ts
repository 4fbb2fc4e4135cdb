import { DEFAULT_SWEEP, type SignalCode, type SweepSpec } from "./signal.js";

/** How a calibration run is laid out in time. */
export interface ScheduleShape {
  /** Time from one signal's instant to the next one's, ms. */
  readonly slotMs: number;
  /** How long before its instant a signal may already arrive (a device offset too far), ms. */
  readonly earlyMs: number;
  /** How many times each device plays, in rounds (every device once per round). */
  readonly repeats: number;
  /**
   * How many signals alternate slot by slot (1: the rising sweep only; 2: rising and falling). A
   * slot's window reaches over the next `codes − 1` slots, which play the other signal.
   */
  readonly codes: 1 | 2;
  readonly sweep: SweepSpec;
}

/**
 * The default layout: 450 ms slots, two codes. A slot's window (−50 to +730 ms) covers a
 * Bluetooth speaker's 700 ms with the sweep still inside, and reaches over the next slot, which
 * plays the other code; the same code comes back 900 ms later, once the previous one's reverb
 * has decayed (RT60 0.8 s: −60 dB by then). Two rounds, so a device whose two arrivals disagree
 * is refused rather than trusted. Eight devices: 16 slots, 7.6 s from the first to the last window's end.
 */
export const DEFAULT_SCHEDULE_SHAPE: ScheduleShape = { slotMs: 450, earlyMs: 50, repeats: 2, codes: 2, sweep: DEFAULT_SWEEP };

/** One device's turn: it starts signal `code` at server instant `atServerMs`. */
export interface Slot {
  readonly key: string;
  readonly atServerMs: number;
  readonly code: SignalCode;
}

/** Every device's turns, in rounds from `startServerMs`, one slot apart, the codes alternating slot by slot. */
export function planSlots(keys: readonly string[], startServerMs: number, shape: ScheduleShape): Slot[] {
  const slots: Slot[] = [];
  for (let round = 0; round < shape.repeats; round++) {
    keys.forEach((key, index) => {
      const turn = round * keys.length + index;
      slots.push({ key, atServerMs: startServerMs + turn * shape.slotMs, code: (turn % shape.codes) as SignalCode });
    });
  }
  return slots;
}

/**
 * The server-time window in which a slot's signal may start: it never reaches the next slot that
 * plays the same code (`codes` slots on).
 */
export function searchWindow(slot: Pick<Slot, "atServerMs">, shape: ScheduleShape): { fromMs: number; toMs: number } {
  const span = shape.codes * shape.slotMs;
  return { fromMs: slot.atServerMs - shape.earlyMs, toMs: slot.atServerMs + span - shape.earlyMs - shape.sweep.durationMs };
}

/** When the last slot's window closes (the recorder may stop then), for `slots` planned with `shape`. */
export function scheduleEndMs(slots: readonly Pick<Slot, "atServerMs">[], shape: ScheduleShape): number {
  return Math.max(...slots.map((slot) => searchWindow(slot, shape).toMs + shape.sweep.durationMs));
}
