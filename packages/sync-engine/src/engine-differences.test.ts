import { afterEach, describe, expect, it, vi } from "vitest";
import { fitAudioClock, localAtContext } from "./audio-clock-map.js";
import { speakerTimestamp } from "./output-timestamp.js";
import { createWebAudioOutput } from "./web-audio-output.js";
import { seededRandom } from "../test/random.js";

/*
 * How Chromium, Firefox and old Safari report the audio output clock, and how each unlocks audio
 * (SPEC OT1–OT4). The figures are the ones probed on this machine kind (2026-12-01).
 */

describe("output timestamps by engine", () => {
  it("[OT1] Chromium's device pair is taken as it is", () => {
    // Probed: contextTime 41.6 ms behind currentTime, performanceTime 2.6 ms before the call.
    const speaker = speakerTimestamp({ timestamp: { contextTime: 4.3584, performanceTime: 4429.19 }, nowMs: 4431.77, currentTime: 4.4, outputLatency: 0.032, baseLatency: 0.01 });
    expect(speaker).toEqual({ contextTime: 4.3584, performanceTimeMs: 4429.19, rule: "OT1" });
  });

  it("[OT2] Firefox takes its output latency off both fields; it is put back on the speaker instant", () => {
    // Probed: performanceTime = now − 25.85 ms, contextTime = currentTime − 25.85 ms, outputLatency 25.85 ms.
    const latency = 0.02585;
    const speaker = speakerTimestamp({ timestamp: { contextTime: 3.2 - latency, performanceTime: 4375.4 - 25.85 }, nowMs: 4375.4, currentTime: 3.2, outputLatency: latency, baseLatency: 0 });
    expect(speaker.rule).toBe("OT2");
    expect(speaker.contextTime).toBeCloseTo(3.2 - latency, 12);
    // The frame heard now is the one rendered `outputLatency` ago, as Chromium's pair says.
    expect(speaker.performanceTimeMs).toBeCloseTo(4375.4, 9);
  });

  it("[OT2] on a plain page (1 ms timer, CE14) the Firefox pair is still recognised", () => {
    const speaker = speakerTimestamp({ timestamp: { contextTime: 3.2 - 0.04, performanceTime: 4335 }, nowMs: 4376, currentTime: 3.2, outputLatency: 0.04, baseLatency: 0 });
    expect(speaker).toMatchObject({ rule: "OT2", performanceTimeMs: 4375 });
  });

  it("[OT2] a fit over Firefox's block-quantised pairs lands within one block of the truth (half a block late on average); uncorrected it is a whole latency early", () => {
    const random = seededRandom(11);
    const latency = 0.04;
    const blockS = 832 / 44_100;
    const originMs = 1_000;
    const corrected = [];
    const raw = [];
    // 3,000 reads at random instants; the graph renders frame c at originMs + 1000 c, heard `latency` later.
    for (let i = 0; i < 3_000; i++) {
      const trueMs = originMs + 1_000 + i * 10 + random() * 10;
      const currentTime = Math.floor((trueMs - originMs) / 1000 / blockS) * blockS;
      const nowMs = Math.floor(trueMs);
      const timestamp = { contextTime: currentTime - latency, performanceTime: nowMs - latency * 1000 };
      const speaker = speakerTimestamp({ timestamp, nowMs, currentTime, outputLatency: latency, baseLatency: 0 });
      corrected.push({ contextTime: speaker.contextTime, localTimeMs: speaker.performanceTimeMs });
      raw.push({ contextTime: timestamp.contextTime, localTimeMs: timestamp.performanceTime });
    }
    const heardMs = (c: number) => originMs + (c + latency) * 1000;
    const at = 20;
    const error = localAtContext(fitAudioClock(corrected)!, at) - heardMs(at);
    expect(error).toBeGreaterThan(0);
    expect(error).toBeLessThan(blockS * 1000);
    expect(Math.abs(error - (blockS * 1000) / 2)).toBeLessThan(1.5);
    expect(localAtContext(fitAudioClock(raw)!, at) - heardMs(at)).toBeCloseTo(error - latency * 1000, 6);
  });

  it("[OT3] without a usable pair (absent, or zeros as in older Safari) the rendered frame is heard after the latencies, a missing outputLatency counting as 0", () => {
    const reading = { nowMs: 500, currentTime: 2, baseLatency: 0.005 };
    expect(speakerTimestamp({ ...reading, timestamp: undefined, outputLatency: undefined })).toEqual({ contextTime: 1.995, performanceTimeMs: 500, rule: "OT3" });
    expect(speakerTimestamp({ ...reading, timestamp: { contextTime: 0, performanceTime: 0 }, outputLatency: 0.02 }).contextTime).toBeCloseTo(1.975, 12);
  });
});

/** A context whose `resume()` runs only inside a user gesture, failing outside it as `blocked` says. */
function autoplayBlockedContext(blocked: "pending" | "rejects") {
  const calls: string[] = [];
  let inGesture = false;
  const listeners: (() => void)[] = [];
  const node = () => ({ connect: () => undefined, disconnect: () => undefined, gain: { value: 1 } });
  const context = {
    state: "suspended" as AudioContextState,
    currentTime: 0,
    sampleRate: 44_100,
    destination: {},
    addEventListener: (_: string, listener: () => void) => void listeners.push(listener),
    removeEventListener: () => undefined,
    createGain: node,
    createBuffer: () => ({}),
    createBufferSource: () => ({ ...node(), buffer: null, start: () => void calls.push(inGesture ? "silent buffer in gesture" : "silent buffer outside") }),
    resume() {
      calls.push(inGesture ? "resume in gesture" : "resume outside");
      if (!inGesture) return blocked === "pending" ? new Promise<void>(() => undefined) : Promise.reject(new DOMException("blocked", "NotAllowedError"));
      context.state = "running";
      for (const listener of listeners) listener();
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
  /** Runs `action` as a click handler would: the gesture lasts for its synchronous part only. */
  const gesture = <T>(action: () => T): T => {
    inGesture = true;
    try {
      return action();
    } finally {
      inGesture = false;
    }
  };
  return { context: context as unknown as AudioContext, calls, gesture };
}

describe("autoplay unlocking in both engines", () => {
  afterEach(() => vi.restoreAllMocks());

  for (const [engine, blocked] of [["Chromium (resume stays pending)", "pending"], ["Firefox (resume refused)", "rejects"]] as const) {
    it(`[OT4] ${engine}: locked until a gesture; unlock() resumes and sounds a silent buffer inside it`, async () => {
      const fake = autoplayBlockedContext(blocked);
      const output = createWebAudioOutput({ context: fake.context });
      expect(output.getState()).toBe("locked");
      expect(fake.calls).toEqual(["resume outside"]);
      const states: string[] = [];
      output.onStateChange((state) => states.push(state));
      await fake.gesture(() => output.unlock());
      expect(fake.calls.slice(1)).toEqual(["resume in gesture", "silent buffer in gesture"]);
      expect(output.getState()).toBe("running");
      expect(states.at(-1)).toBe("running");
    });
  }

  it("[OT4] Firefox: an unlock outside a gesture settles as 'suspended' (asked, not yet allowed), and the next tap unlocks", async () => {
    const fake = autoplayBlockedContext("rejects");
    const output = createWebAudioOutput({ context: fake.context });
    await output.unlock();
    expect(output.getState()).toBe("suspended");
    await fake.gesture(() => output.unlock());
    expect(output.getState()).toBe("running");
  });
});
