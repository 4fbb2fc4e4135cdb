import { z } from "zod";
import { CommandId, DisplayName, ServerInstantMs, UserId } from "./primitives.js";

/**
 * Acoustic room calibration (issue 15; rules CAL10–CAL17 in SPEC.md): the host starts it, the
 * server schedules every other device's sweep in turn, the measuring device records and reports,
 * the server relays each device's correction.
 */

/** One live connection of the sync server (`node:n`), unique across nodes; told in `joined`. */
export const ConnectionId = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[A-Za-z0-9_.:-]+$/, "connection id must be letters, digits or _.:-");

/** Largest correction a device may be told to apply (a Bluetooth path is ≤ 700 ms). */
export const MAX_CALIBRATION_CORRECTION_MS = 2000;

/** The calibration sweep, as the DSP package describes it (continuous time, any sample rate). */
export const CalibrationSweep = z.object({
  durationMs: z.number().finite().min(10).max(1000),
  startHz: z.number().finite().min(20).max(20_000),
  endHz: z.number().finite().min(20).max(20_000),
  fadeMs: z.number().finite().min(0).max(100),
});

/** Host: calibrate the room, measured by `measuringUserId`'s device (default: the sender's). */
export const CalibrationStartCommand = z.object({
  type: z.literal("calibration_start"),
  id: CommandId,
  measuringUserId: UserId.optional(),
});

/** One device's result: heard with its correction, or not heard (and left unchanged). */
export const CalibrationDeviceResult = z.discriminatedUnion("heard", [
  z.object({
    connectionId: ConnectionId,
    heard: z.literal(true),
    correctionMs: z.number().finite().min(-MAX_CALIBRATION_CORRECTION_MS).max(MAX_CALIBRATION_CORRECTION_MS),
    confidenceDb: z.number().finite().min(0).max(200),
  }),
  z.object({
    connectionId: ConnectionId,
    heard: z.literal(false),
    reason: z.enum(["below-threshold", "outside-recording", "inconsistent", "not-reported"]),
    confidenceDb: z.number().finite().min(0).max(200),
  }),
]);
export type CalibrationDeviceResult = z.infer<typeof CalibrationDeviceResult>;

/** Measuring device: what it heard in calibration `calibrationId`. */
export const CalibrationResultCommand = z.object({
  type: z.literal("calibration_result"),
  id: CommandId,
  calibrationId: CommandId,
  results: z.array(CalibrationDeviceResult).max(256),
});

/** The commands of this file: each is answered by `command_accepted` or `command_refused`. */
export const CALIBRATION_COMMAND_TYPES = ["calibration_start", "calibration_result"] as const;

/** One device's turn: it starts the sweep at `atServerMs`, through its music output path. */
export const CalibrationSlot = z.object({
  connectionId: ConnectionId,
  userId: UserId,
  name: DisplayName,
  atServerMs: ServerInstantMs,
  /** Which signal (CAL17): 0 (or absent) the rising sweep, 1 the same sweep time-reversed. */
  code: z.union([z.literal(0), z.literal(1)]).optional(),
});

/** Broadcast: the run's plan. Every listed device plays; the measuring device records until `endServerMs`. */
export const CalibrationScheduleMessage = z.object({
  type: z.literal("calibration_schedule"),
  calibrationId: CommandId,
  measuringConnectionId: ConnectionId,
  sweep: CalibrationSweep,
  slotMs: z.number().finite().positive(),
  earlyMs: z.number().finite().min(0),
  repeats: z.number().int().min(1).max(8),
  /** How many signals alternate slot by slot (CAL17); absent: 1. A window spans `codes` slots. */
  codes: z.union([z.literal(1), z.literal(2)]).optional(),
  slots: z.array(CalibrationSlot).max(512),
  endServerMs: ServerInstantMs,
});

/** Broadcast: the run's results; each heard device adds its `correctionMs` to its output-latency offset. */
export const CalibrationDoneMessage = z.object({
  type: z.literal("calibration_done"),
  calibrationId: CommandId,
  results: z.array(CalibrationDeviceResult).max(512),
});

/** Broadcast: the run ended without results (the measuring device left, or never reported). */
export const CalibrationAbandonedMessage = z.object({
  type: z.literal("calibration_abandoned"),
  calibrationId: CommandId,
  reason: z.enum(["measuring-device-left", "timeout"]),
});
