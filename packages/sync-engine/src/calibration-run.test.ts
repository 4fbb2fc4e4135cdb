import { DEFAULT_SCHEDULE_SHAPE, planSlots, scheduleEndMs, signalSamples } from "@sync-beats/calibration-dsp";
import type { ClientMessage, ServerMessageOf } from "@sync-beats/protocol";
import { describe, expect, it } from "vitest";
import { FakeClock } from "../test/fake-clock.js";
import { seededRandom } from "../test/random.js";
import { EngineCalibration, MAX_INPUT_LATENCY_MS, reportedInputLatencyMs } from "./calibration-run.js";
import type { ClockBridge } from "./clock-bridge.js";
import type { AudioOutput, CapturedAudio } from "./types.js";

/** Server time runs 10 s ahead of the local clock; context time is local time in seconds. */
const SERVER_AHEAD_MS = 10_000;
const SAMPLE_RATE = 48_000;
const shape = DEFAULT_SCHEDULE_SHAPE;

function scheduleFor(ids: string[], measuring: string, firstMs: number): ServerMessageOf<"calibration_schedule"> {
  const slots = planSlots(ids, firstMs, shape);
  return {
    type: "calibration_schedule",
    calibrationId: "cal-1",
    measuringConnectionId: measuring,
    sweep: { ...shape.sweep },
    slotMs: shape.slotMs,
    earlyMs: shape.earlyMs,
    repeats: shape.repeats,
    codes: shape.codes,
    slots: slots.map((slot) => ({ connectionId: slot.key, userId: slot.key, name: `device ${slot.key}`, atServerMs: slot.atServerMs, code: slot.code })),
    endServerMs: scheduleEndMs(slots, shape),
  };
}

/** A room the microphone hears: each device's sweep arrives `latenessMs` after its instant, plus the input latency. */
function recordingOf(schedule: ServerMessageOf<"calibration_schedule">, latenessMs: Record<string, number>, inputLatencyMs: number, firstServerMs: number): CapturedAudio {
  const random = seededRandom(3);
  const samples = new Float32Array(Math.ceil(((schedule.endServerMs + inputLatencyMs + 500 - firstServerMs) / 1000) * SAMPLE_RATE));
  for (let n = 0; n < samples.length; n++) samples[n] = 0.01 * (random() - 0.5);
  const signals = [signalSamples(schedule.sweep, 0, SAMPLE_RATE, 0.3), signalSamples(schedule.sweep, 1, SAMPLE_RATE, 0.3)];
  for (const slot of schedule.slots) {
    const sweep = signals[slot.code ?? 0]!;
    const start = Math.round(((slot.atServerMs + latenessMs[slot.connectionId]! + inputLatencyMs - firstServerMs) / 1000) * SAMPLE_RATE);
    sweep.forEach((value, i) => (samples[start + i]! += value));
  }
  return { samples, sampleRate: SAMPLE_RATE, firstContextTime: (firstServerMs - SERVER_AHEAD_MS) / 1000 };
}

/** A microphone stream whose track reports `latencyS` as its input latency (Chromium's `getSettings().latency`). */
function microphone(latencyS?: number): MediaStream {
  const track = { getSettings: () => (latencyS === undefined ? {} : { latency: latencyS }), stop: () => undefined };
  return { getTracks: () => [track], getAudioTracks: () => [track] } as unknown as MediaStream;
}

function device(me: string, recording: (() => CapturedAudio) | null = null, stream = microphone()) {
  const clock = new FakeClock(100_000);
  const played: number[] = [];
  const signals: Float32Array[] = [];
  const sent: ClientMessage[] = [];
  const applied: number[] = [];
  const bridge: ClockBridge = {
    contextAt: (serverMs) => (serverMs - SERVER_AHEAD_MS) / 1000,
    serverAt: (contextTime) => contextTime * 1000 + SERVER_AHEAD_MS,
    baseRate: 1,
  };
  const audio = {
    currentTime: () => clock.now() / 1000,
    playSignal: (samplesFor: (rate: number) => Float32Array, when: number) => {
      expect(samplesFor(SAMPLE_RATE).length).toBe(Math.round((shape.sweep.durationMs / 1000) * SAMPLE_RATE));
      played.push(when);
      signals.push(samplesFor(SAMPLE_RATE));
    },
    capture: () => ({ stop: async () => recording!() }),
  } as unknown as AudioOutput;
  const calibration = new EngineCalibration({
    clock,
    audio: () => audio,
    bridge: () => bridge,
    openMicrophone: () => Promise.resolve(stream),
    send: (message) => sent.push(message) > 0,
    newCommandId: () => "res-1",
    applyCorrection: (ms) => applied.push(ms),
    onChange: () => undefined,
  });
  calibration.joined(me);
  return { clock, calibration, played, signals, sent, applied, serverNow: () => clock.now() + SERVER_AHEAD_MS };
}

describe("EngineCalibration", () => {
  it("[CAL13][CAL17] a playing device hands each of its sweeps to the audio clock at the context time of its server instant", async () => {
    const b = device("b");
    const schedule = scheduleFor(["b", "c", "d"], "a", b.serverNow() + 2000);
    b.calibration.onMessage(schedule);
    expect(b.calibration.state).toMatchObject({ phase: "running", role: "playing" });
    await b.clock.advance(schedule.endServerMs - b.serverNow());
    const own = schedule.slots.filter((slot) => slot.connectionId === "b");
    expect(b.played).toEqual(own.map((slot) => (slot.atServerMs - SERVER_AHEAD_MS) / 1000));
    // Three devices, codes alternating slot by slot: b's two plays carry the two codes, each as its slot says.
    expect(new Set(own.map((slot) => slot.code))).toEqual(new Set([0, 1]));
    expect(b.signals).toEqual(own.map((slot) => signalSamples(schedule.sweep, slot.code ?? 0, SAMPLE_RATE)));
  });

  it("[CAL7][CAL13] the measuring device records, finds every arrival and reports corrections relative to the room median", async () => {
    let schedule: ServerMessageOf<"calibration_schedule"> | null = null;
    const a = device("a", () => recordingOf(schedule!, { b: 30, c: 90 }, 15, schedule!.slots[0]!.atServerMs - 1000));
    schedule = scheduleFor(["b", "c"], "a", a.serverNow() + 2000);
    a.calibration.onMessage(schedule);
    expect(a.calibration.state).toMatchObject({ role: "measuring" });
    await new Promise((resolve) => setImmediate(resolve));
    await a.clock.advance(schedule.endServerMs + 1000 - a.serverNow());
    const report = a.sent.find((message) => message.type === "calibration_result");
    expect(report).toMatchObject({ calibrationId: "cal-1", id: "res-1" });
    const results = report!.type === "calibration_result" ? report!.results : [];
    const correction = (id: string) => results.find((r) => r.connectionId === id && r.heard);
    expect(correction("b")).toMatchObject({ heard: true });
    expect(correction("c")).toMatchObject({ heard: true });
    expect(Math.abs((correction("b") as { correctionMs: number }).correctionMs - -30)).toBeLessThan(0.1);
    expect(Math.abs((correction("c") as { correctionMs: number }).correctionMs - 30)).toBeLessThan(0.1);
  });

  it("[CAL9] the input latency the microphone reports places the windows, and its error cancels", async () => {
    // 1.8 s of input latency would put every arrival two slots late; the track says 1.75 s.
    let schedule: ServerMessageOf<"calibration_schedule"> | null = null;
    const record = () => recordingOf(schedule!, { b: 30, c: 90, d: 400 }, 1800, schedule!.slots[0]!.atServerMs - 1000);
    const a = device("a", record, microphone(1.75));
    schedule = scheduleFor(["b", "c", "d"], "a", a.serverNow() + 2000);
    a.calibration.onMessage(schedule);
    await new Promise((resolve) => setImmediate(resolve));
    // The recorder keeps going past the last window for the reported latency: nothing is reported before.
    await a.clock.advance(schedule.endServerMs + 1750 - a.serverNow());
    expect(a.sent.some((message) => message.type === "calibration_result")).toBe(false);
    await a.clock.advance(1000);
    const report = a.sent.find((message) => message.type === "calibration_result");
    const results = report?.type === "calibration_result" ? report.results : [];
    const corrections = Object.fromEntries(results.map((r) => [r.connectionId, r.heard ? r.correctionMs : null]));
    expect(corrections.b).toBeCloseTo(-60, 1);
    expect(corrections.c).toBeCloseTo(0, 1);
    expect(corrections.d).toBeCloseTo(310, 1);
  });

  it("[CAL9] a latency the track does not report, or reports absurdly, is taken as 0 or bounded", () => {
    expect(reportedInputLatencyMs(microphone())).toBe(0);
    expect(reportedInputLatencyMs(microphone(Number.NaN))).toBe(0);
    expect(reportedInputLatencyMs(microphone(-1))).toBe(0);
    expect(reportedInputLatencyMs(microphone(0.012))).toBeCloseTo(12, 9);
    expect(reportedInputLatencyMs(microphone(60))).toBe(MAX_INPUT_LATENCY_MS);
  });

  it("[CAL15] a heard device adds its correction to its offset; a device not heard keeps it", () => {
    const b = device("b");
    const c = device("c");
    for (const d of [b, c]) d.calibration.onMessage(scheduleFor(["b", "c"], "a", d.serverNow() + 2000));
    const done: ServerMessageOf<"calibration_done"> = {
      type: "calibration_done",
      calibrationId: "cal-1",
      results: [
        { connectionId: "b", heard: true, correctionMs: -12.25, confidenceDb: 30 },
        { connectionId: "c", heard: false, reason: "below-threshold", confidenceDb: 5 },
      ],
    };
    b.calibration.onMessage(done);
    c.calibration.onMessage(done);
    expect(b.applied).toEqual([-12.25]);
    expect(b.calibration.state).toMatchObject({ phase: "done", applied: -12.25 });
    expect(c.applied).toEqual([]);
    expect(c.calibration.state).toMatchObject({ phase: "done", applied: null });
  });

  it("[CAL8] a measuring device without a microphone reports nobody heard, so nothing changes", async () => {
    const a = device("a");
    const failing = new EngineCalibration({
      ...(a.calibration as unknown as { deps: ConstructorParameters<typeof EngineCalibration>[0] }).deps,
      openMicrophone: () => Promise.reject(new Error("NotAllowedError")),
    });
    failing.joined("a");
    failing.onMessage(scheduleFor(["b"], "a", a.serverNow() + 2000));
    await new Promise((resolve) => setImmediate(resolve));
    expect(a.sent).toEqual([{ type: "calibration_result", id: "res-1", calibrationId: "cal-1", results: [] }]);
  });
});
