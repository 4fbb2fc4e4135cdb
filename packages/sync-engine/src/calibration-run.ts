import { measureSlots, roomCorrections, type ScheduleShape, signalSamples } from "@sync-beats/calibration-dsp";
import {
  type CalibrationDeviceResult,
  type ClientMessage,
  MAX_CALIBRATION_CORRECTION_MS,
  type ServerMessageOf,
} from "@sync-beats/protocol";
import type { ClockBridge } from "./clock-bridge.js";
import type { AudioCapture, AudioOutput, Clock, Disposer } from "./types.js";

type Schedule = ServerMessageOf<"calibration_schedule">;

/** A device named in a run, for showing its result. */
export interface CalibrationDevice {
  readonly connectionId: string;
  readonly name: string;
}

/**
 * This device's view of the latest calibration run. `running.role`: `measuring` records,
 * `playing` plays its sweeps, `watching` neither (the host, when another device measures it is
 * playing too). `done.applied` is the correction this device added to its offset, if it was heard.
 */
export type CalibrationView =
  | { readonly phase: "idle" }
  | { readonly phase: "running"; readonly calibrationId: string; readonly role: "measuring" | "playing" | "watching"; readonly devices: readonly CalibrationDevice[]; readonly endServerMs: number; readonly analysing: boolean }
  | { readonly phase: "done"; readonly calibrationId: string; readonly devices: readonly CalibrationDevice[]; readonly results: readonly CalibrationDeviceResult[]; readonly applied: number | null }
  | { readonly phase: "abandoned"; readonly calibrationId: string; readonly reason: string }
  | { readonly phase: "refused"; readonly code: string; readonly message: string };

export interface CalibrationDeps {
  readonly clock: Clock;
  readonly audio: () => AudioOutput;
  readonly bridge: () => ClockBridge | null;
  readonly openMicrophone: () => Promise<MediaStream>;
  readonly send: (message: ClientMessage) => boolean;
  readonly newCommandId: () => string;
  /** Adds `ms` to the device's output-latency offset. */
  readonly applyCorrection: (ms: number) => void;
  readonly onChange: () => void;
}

/** How long before its instant a sweep is handed to the audio clock: fresh map, and room for a negative offset. */
const PLAY_AHEAD_MS = 1500;
/** After the last window, the recorder keeps going this long, beyond the input latency the browser reports. */
const RECORD_TAIL_MS = 300;
/**
 * The most input latency believed from the browser (a Bluetooth headset's microphone is ~0.2 s;
 * the simulated room's is 4 s): it lengthens the recording, so a wild value must not keep the
 * report past the server's 20 s wait (CAL16).
 */
export const MAX_INPUT_LATENCY_MS = 5000;

/**
 * The microphone's input latency as the browser reports it (`getSettings().latency`, Chromium),
 * ms, bounded; 0 where the browser says nothing. It only places the search windows: any error in
 * it is common to every arrival and cancels in the corrections (CAL7, CAL9).
 */
export function reportedInputLatencyMs(stream: MediaStream): number {
  const settings = stream.getAudioTracks?.()[0]?.getSettings?.() as (MediaTrackSettings & { latency?: number }) | undefined;
  const latencyS = settings?.latency;
  if (typeof latencyS !== "number" || !Number.isFinite(latencyS) || latencyS <= 0) return 0;
  return Math.min(MAX_INPUT_LATENCY_MS, latencyS * 1000);
}

/** The default microphone: every browser-side processing off, mono. */
export function openRawMicrophone(): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 },
  });
}

/**
 * The engine's part in a calibration run (CAL13): plays this device's sweeps at their server
 * instants through the music path (the same clock bridge, output offset included, so what is
 * measured is what music suffers), or records and analyses when this device measures, and applies
 * this device's correction when the results come.
 */
export class EngineCalibration {
  private view: CalibrationView = { phase: "idle" };
  private connectionId: string | null = null;
  private timers: Disposer[] = [];
  private capture: AudioCapture | null = null;
  /** The id of this device's `calibration_start` awaiting its answer. */
  private pendingStart: string | null = null;

  constructor(private readonly deps: CalibrationDeps) {}

  get state(): CalibrationView {
    return this.view;
  }

  joined(connectionId: string | undefined): void {
    this.connectionId = connectionId ?? null;
  }

  /** This device sent `calibration_start` with `id`. */
  started(id: string): void {
    this.pendingStart = id;
  }

  /** Takes a refusal of this device's start; false when it refused another command. */
  refused(message: ServerMessageOf<"command_refused">): boolean {
    if (message.id !== this.pendingStart) return false;
    this.pendingStart = null;
    this.view = { phase: "refused", code: message.code, message: message.message };
    return true;
  }

  onMessage(message: ServerMessageOf<"calibration_schedule" | "calibration_done" | "calibration_abandoned">): void {
    if (message.type === "calibration_schedule") return this.schedule(message);
    if (this.view.phase !== "running" || this.view.calibrationId !== message.calibrationId) return;
    const devices = this.view.devices;
    this.stop();
    if (message.type === "calibration_abandoned") {
      this.view = { phase: "abandoned", calibrationId: message.calibrationId, reason: message.reason };
    } else {
      const own = message.results.find((result) => result.connectionId === this.connectionId);
      const applied = own?.heard ? own.correctionMs : null;
      if (applied !== null) this.deps.applyCorrection(applied);
      this.view = { phase: "done", calibrationId: message.calibrationId, devices, results: message.results, applied };
    }
    this.deps.onChange();
  }

  /** Stops playing and recording (disconnect, or the run ended). */
  stop(): void {
    for (const dispose of this.timers) dispose();
    this.timers = [];
    // The recording is dropped: only its microphone needs releasing.
    this.capture?.stop().catch(() => undefined);
    this.capture = null;
  }

  private schedule(schedule: Schedule): void {
    this.stop();
    const devices = uniqueDevices(schedule);
    const measuring = schedule.measuringConnectionId === this.connectionId;
    const own = schedule.slots.filter((slot) => slot.connectionId === this.connectionId);
    const role = measuring ? "measuring" : own.length > 0 ? "playing" : "watching";
    this.view = { phase: "running", calibrationId: schedule.calibrationId, role, devices, endServerMs: schedule.endServerMs, analysing: false };
    for (const slot of own) this.at(slot.atServerMs - PLAY_AHEAD_MS, () => this.playSweep(schedule, slot));
    if (measuring) this.record(schedule);
    this.deps.onChange();
  }

  private playSweep(schedule: Schedule, slot: Schedule["slots"][number]): void {
    const bridge = this.deps.bridge();
    const audio = this.deps.audio();
    if (!bridge || !audio.playSignal) return;
    audio.playSignal((sampleRate) => signalSamples(schedule.sweep, slot.code ?? 0, sampleRate), bridge.contextAt(slot.atServerMs));
  }

  private record(schedule: Schedule): void {
    const calibrationId = schedule.calibrationId;
    this.deps
      .openMicrophone()
      .then((stream) => {
        const audio = this.deps.audio();
        if (!audio.capture || this.view.phase !== "running" || this.view.calibrationId !== calibrationId) {
          for (const track of stream.getTracks()) track.stop();
          return;
        }
        const inputLatencyMs = reportedInputLatencyMs(stream);
        this.capture = audio.capture(stream);
        this.at(schedule.endServerMs + inputLatencyMs + RECORD_TAIL_MS, () => void this.analyse(schedule, inputLatencyMs));
      })
      // No microphone: every device is reported not heard, so nobody's offset changes.
      .catch(() => this.report(schedule, []));
  }

  private async analyse(schedule: Schedule, inputLatencyMs: number): Promise<void> {
    const capture = this.capture;
    this.capture = null;
    const captured = await capture?.stop().catch(() => null);
    const bridge = this.deps.bridge();
    if (!captured || !bridge) return this.report(schedule, []);
    if (this.view.phase === "running") this.view = { ...this.view, analysing: true };
    this.deps.onChange();
    const shape: ScheduleShape = { slotMs: schedule.slotMs, earlyMs: schedule.earlyMs, repeats: schedule.repeats, codes: schedule.codes ?? 1, sweep: schedule.sweep };
    // What sample 0 carries was heard an input latency before the context captured it.
    const capturedServerMs = bridge.serverAt(captured.firstContextTime);
    const msPerSample = (bridge.serverAt(captured.firstContextTime + 1) - capturedServerMs) / captured.sampleRate;
    const startServerMs = capturedServerMs - inputLatencyMs;
    const slots = schedule.slots.map((slot) => ({ key: slot.connectionId, atServerMs: slot.atServerMs, code: slot.code ?? 0 }));
    const measured = measureSlots({ samples: captured.samples, sampleRate: captured.sampleRate, startServerMs, msPerSample }, slots, shape);
    const corrections = roomCorrections(measured);
    this.report(
      schedule,
      measured.map((m): CalibrationDeviceResult => {
        const confidenceDb = Math.max(0, Math.min(200, m.confidenceDb));
        const correction = corrections.get(m.key);
        if (!m.heard || correction === undefined) {
          return { connectionId: m.key, heard: false, reason: m.heard ? "inconsistent" : m.reason, confidenceDb };
        }
        if (Math.abs(correction) > MAX_CALIBRATION_CORRECTION_MS) return { connectionId: m.key, heard: false, reason: "outside-recording", confidenceDb };
        return { connectionId: m.key, heard: true, correctionMs: correction, confidenceDb };
      }),
    );
  }

  private report(schedule: Schedule, results: CalibrationDeviceResult[]): void {
    this.deps.send({ type: "calibration_result", id: this.deps.newCommandId(), calibrationId: schedule.calibrationId, results });
  }

  /** Runs `fn` at server instant `serverMs` as this device's clocks read it now. */
  private at(serverMs: number, fn: () => void): void {
    const bridge = this.deps.bridge();
    const serverNow = bridge ? bridge.serverAt(this.deps.audio().currentTime()) : serverMs;
    this.timers.push(this.deps.clock.setTimeout(fn, Math.max(0, serverMs - serverNow)));
  }
}

function uniqueDevices(schedule: Schedule): CalibrationDevice[] {
  const byId = new Map<string, CalibrationDevice>();
  for (const slot of schedule.slots) byId.set(slot.connectionId, { connectionId: slot.connectionId, name: slot.name });
  return [...byId.values()];
}
