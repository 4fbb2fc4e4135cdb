import { DEFAULT_SWEEP, type SweepSpec } from "./signal.js";

/** How a calibration run is laid out in time. */
export interface ScheduleShape {
  /** Time from one signal's instant to the next one's, ms. */
  readonly slotMs: number;
  /** How long before its instant a signal may already arrive (a device offset too far), ms. */
  readonly earlyMs: number;
  /** How many times each device plays, in rounds (every device once per round). */
  readonly repeats: number;
  readonly sweep: SweepSpec;
}

/**
 * The default layout. A slot covers a Bluetooth speaker's 700 ms and the microphone's own input
 * latency with the sweep still inside the window, and lets the previous device's reverb decay
 * (RT60 0.8 s: −22 dB after 0.3 s) before the next one's direct sound. Two rounds, so a device
 * whose two arrivals disagree is refused rather than trusted.
 */
export const DEFAULT_SCHEDULE_SHAPE: ScheduleShape = { slotMs: 1000, earlyMs: 50, repeats: 2, sweep: DEFAULT_SWEEP };

/** One device's turn: it starts the sweep at server instant `atServerMs`. */
export interface Slot {
  readonly key: string;
  readonly atServerMs: number;
}

/** Every device's turns, in rounds from `startServerMs`, one slot apart. */
export function planSlots(keys: readonly string[], startServerMs: number, shape: ScheduleShape): Slot[] {
  const slots: Slot[] = [];
  for (let round = 0; round < shape.repeats; round++) {
    keys.forEach((key, index) => slots.push({ key, atServerMs: startServerMs + (round * keys.length + index) * shape.slotMs }));
  }
  return slots;
}

/** The server-time window in which a slot's sweep may start: it never reaches the next slot. */
export function searchWindow(slot: Slot, shape: ScheduleShape): { fromMs: number; toMs: number } {
  return { fromMs: slot.atServerMs - shape.earlyMs, toMs: slot.atServerMs + shape.slotMs - shape.earlyMs - shape.sweep.durationMs };
}

/** When the last slot's window closes (the recorder may stop then), for `slots` planned with `shape`. */
export function scheduleEndMs(slots: readonly Slot[], shape: ScheduleShape): number {
  return Math.max(...slots.map((slot) => searchWindow(slot, shape).toMs + shape.sweep.durationMs));
}
