/**
 * Acoustic room calibration, pure: the sweep every device plays, the matched filter that finds it
 * in a recording, sub-sample peak picking, refusal below a detection threshold, outlier rejection
 * over repeats, the schedule's geometry, and the offsets that align the room. No Web Audio here:
 * the browser records and plays, this package only computes (rules CAL1–CAL8 in SPEC.md).
 */
export { DEFAULT_SWEEP, signalSamples, signalValueAt, sweepSamples, sweepValueAt, type SignalCode, type SweepSpec } from "./signal.js";
export { correlationEnvelope } from "./correlate.js";
export { argMax, parabolicPeak } from "./peak.js";
export { DEFAULT_THRESHOLD_DB, MAX_CONFIDENCE_DB, detectArrival, type DetectOptions, type Detection } from "./detect.js";
export { DEFAULT_REPEAT_TOLERANCE_MS, combineRepeats, median, type Combined } from "./combine.js";
export { DEFAULT_SCHEDULE_SHAPE, planSlots, scheduleEndMs, searchWindow, type ScheduleShape, type Slot } from "./schedule.js";
export { measureSlots, roomCorrections, type DeviceMeasurement, type Recording } from "./measure.js";
