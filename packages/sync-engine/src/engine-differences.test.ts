import { afterEach, describe, expect, it, vi } from "vitest";
import { AudioClockMap, fitAudioClock, localAtContext } from "./audio-clock-map.js";
import { speakerTimestamp } from "./output-timestamp.js";
import { createWebAudioOutput } from "./web-audio-output.js";
import { seededRandom } from "../test/random.js";
import type { AudioTimestamp } from "./types.js";

/*
 * How Chromium, Firefox and old Safari report the audio output clock, and how each unlocks audio
 * (SPEC OT1–OT4). The figures are the ones probed on this machine kind (2026-12-01).
 */

describe("output timestamps by engine", () => {
  it("[OT1] Chromium's device pair is taken as it is", () => {
    // Probed: contextTime 41.6 ms behind currentTime, performanceTime 2.6 ms before the call.
    const speaker = speakerTimestamp({ timestamp: { contextTime: 4.3584, performanceTime: 4429.19 }, nowMs: 4431.77, currentTime: 4.4, readOutputLatency: () => 0.032, baseLatency: 0.01 });
    expect(speaker).toEqual({ contextTime: 4.3584, performanceTimeMs: 4429.19, rule: "OT1" });
  });

  it("[OT2] Firefox takes its output latency off both fields; it is put back on the speaker instant", () => {
    // Probed: performanceTime = now − 25.85 ms, contextTime = currentTime − 25.85 ms, outputLatency 25.85 ms.
    const latency = 0.02585;
    const speaker = speakerTimestamp({ timestamp: { contextTime: 3.2 - latency, performanceTime: 4375.4 - 25.85 }, nowMs: 4375.4, currentTime: 3.2, readOutputLatency: () => latency, baseLatency: 0 })!;
    expect(speaker.rule).toBe("OT2");
    expect(speaker.contextTime).toBeCloseTo(3.2 - latency, 12);
    // The frame heard now is the one rendered `outputLatency` ago, as Chromium's pair says.
    expect(speaker.performanceTimeMs).toBeCloseTo(4375.4, 9);
  });

  it("[OT2] on a plain page (1 ms timer, CE14) the Firefox pair is still recognised", () => {
    const speaker = speakerTimestamp({ timestamp: { contextTime: 3.2 - 0.04, performanceTime: 4335 }, nowMs: 4376, currentTime: 3.2, readOutputLatency: () => 0.04, baseLatency: 0 });
    expect(speaker).toMatchObject({ rule: "OT2", performanceTimeMs: 4375 });
  });

  it("[OT3] without a usable pair (absent, or zeros as in older Safari) the rendered frame is heard after the latencies, a missing outputLatency counting as 0", () => {
    const reading = { nowMs: 500, currentTime: 2, baseLatency: 0.005 };
    expect(speakerTimestamp({ ...reading, timestamp: undefined, readOutputLatency: () => undefined })).toEqual({ contextTime: 1.995, performanceTimeMs: 500, rule: "OT3" });
    expect(speakerTimestamp({ ...reading, timestamp: { contextTime: 0, performanceTime: 0 }, readOutputLatency: () => 0.02 })!.contextTime).toBeCloseTo(1.975, 12);
  });

  it("[OT6] outputLatency is read only where the pair cannot say: never for a Chromium or Firefox pair, nor for a pair with only its performanceTime (none yet)", () => {
    const readOutputLatency = vi.fn(() => 0.04);
    expect(speakerTimestamp({ timestamp: { contextTime: 4.3584, performanceTime: 4429.19 }, nowMs: 4431.77, currentTime: 4.4, readOutputLatency, baseLatency: 0.01 })?.rule).toBe("OT1");
    expect(speakerTimestamp({ timestamp: { contextTime: 3.2 - 0.04, performanceTime: 4336 }, nowMs: 4376, currentTime: 3.2, readOutputLatency, baseLatency: 0 })?.rule).toBe("OT2");
    expect(speakerTimestamp({ timestamp: { contextTime: 0, performanceTime: 4336 }, nowMs: 4376, currentTime: 0.02, readOutputLatency, baseLatency: 0 })).toBeNull();
    expect(readOutputLatency).not.toHaveBeenCalled();
    expect(speakerTimestamp({ timestamp: undefined, nowMs: 4376, currentTime: 3.2, readOutputLatency, baseLatency: 0 })?.rule).toBe("OT3");
    expect(readOutputLatency).toHaveBeenCalledTimes(1);
  });
});

const SAMPLE_RATE = 44_100;
/** Local ms per context second: the audio clock runs 300 ppm fast against the local clock. */
const MS_PER_S = 1000 / (1 + 300e-6);
const ORIGIN_MS = 1_000;
/** The frame at context time c renders at local `ORIGIN_MS + c · MS_PER_S`, and is heard `latency` later. */
const heardMs = (contextTime: number, latency: number) => ORIGIN_MS + (contextTime + latency) * MS_PER_S;

/**
 * What the engine reads in Firefox on PulseAudio (SPEC OT2), every 10 ms (+0–2 ms timer lateness)
 * for `seconds`: `currentTime` moves in blocks of 768 and 896 frames (as probed), the pair is made
 * up at the call, and `now` is on the 1 ms timer of a plain page (CE14).
 */
function firefoxReads(seconds: number, latency: number, seed: number): AudioTimestamp[] {
  const random = seededRandom(seed);
  const edges = [0];
  while (edges.at(-1)! < seconds + 1) edges.push(edges.at(-1)! + (edges.length % 2 ? 768 : 896) / SAMPLE_RATE);
  const reads: AudioTimestamp[] = [];
  let block = 0;
  for (let i = 0; i < seconds * 100; i++) {
    const trueMs = ORIGIN_MS + 500 + i * 10 + random() * 2;
    while (ORIGIN_MS + edges[block + 1]! * MS_PER_S <= trueMs) block++;
    const currentTime = edges[block]!;
    const nowMs = Math.floor(trueMs);
    const timestamp = { contextTime: currentTime - latency, performanceTime: nowMs - latency * 1000 };
    const speaker = speakerTimestamp({ timestamp, nowMs, currentTime, readOutputLatency: () => latency, baseLatency: 0 })!;
    expect(speaker.rule).toBe("OT2");
    reads.push({ contextTime: speaker.contextTime, localTimeMs: speaker.performanceTimeMs, readLate: true });
  }
  return reads;
}

/** Device timestamps as Chromium reports them (OT1): every 10 ms, scattered ±`scatterMs` both ways. */
function chromiumPairs(seconds: number, scatterMs: number, seed: number): AudioTimestamp[] {
  const random = seededRandom(seed);
  return Array.from({ length: seconds * 100 }, (_, i) => {
    const contextTime = 0.5 + i * 0.01;
    return { contextTime, localTimeMs: heardMs(contextTime, 0) + (2 * random() - 1) * scatterMs };
  });
}

describe("speaker map by engine", () => {
  it("[OT5] Firefox's block-quantised pairs, through the map as the engine feeds it, are fitted along their lower edge: within 1 ms where least squares is half a block (~9 ms) late", () => {
    const latency = 0.04;
    const map = new AudioClockMap();
    const reads = firefoxReads(30, latency, 11);
    for (const read of reads) map.add(read);
    const at = 30;
    const error = localAtContext(map.fit()!, at) - heardMs(at, latency);
    expect(Math.abs(error)).toBeLessThan(1);
    // The same pairs taken as device timestamps: the line goes through their middle.
    const centred = localAtContext(fitAudioClock(reads.map(({ contextTime, localTimeMs }) => ({ contextTime, localTimeMs })))!, at) - heardMs(at, latency);
    expect(centred).toBeGreaterThan(6);
    expect(map.jumps).toBe(0);
  });

  it("[OT5] every read of a block kept (the benchmark's own shape): the lower edge is within 1.5 ms, least squares half a block late", () => {
    const latency = 0.026;
    const reads = firefoxReads(20, latency, 5);
    const at = 20;
    const edge = localAtContext(fitAudioClock(reads)!, at) - heardMs(at, latency);
    const centred = localAtContext(fitAudioClock(reads.map((r) => ({ ...r, readLate: false })))!, at) - heardMs(at, latency);
    expect(Math.abs(edge)).toBeLessThan(1.5);
    expect(Math.abs(centred - (832 / SAMPLE_RATE) * 500)).toBeLessThan(2);
  });

  for (const [shape, scatterMs, tolerance] of [["fake headless device, ±0.1 ms", 0.1, 0.05], ["through PulseAudio, wandering ±10 ms", 10, 1]] as const) {
    it(`[OT5] Chromium's device pairs (${shape}) keep the least-squares line`, () => {
      const pairs = chromiumPairs(20, scatterMs, 3);
      const at = 20.5;
      expect(Math.abs(localAtContext(fitAudioClock(pairs)!, at) - heardMs(at, 0))).toBeLessThan(tolerance);
      // What the lower edge would have done to them: pulled earlier by almost the whole scatter.
      const moved = localAtContext(fitAudioClock(pairs.map((p) => ({ ...p, readLate: true })))!, at) - heardMs(at, 0);
      expect(moved).toBeLessThan(-0.9 * scatterMs);
    });
  }

  for (const [engine, latency, reading, readLate] of [
    ["Firefox", 0.04, (now: number, currentTime: number) => ({ contextTime: currentTime - 0.04, performanceTime: now - 40 }), true],
    ["Chromium", 0.032, (now: number, currentTime: number) => ({ contextTime: currentTime - 0.0416, performanceTime: now - 2.6 }), undefined],
  ] as const) {
    it(`[OT5][OT6] the Web Audio output marks ${engine}'s pair read late: ${String(readLate)}, and never reads its outputLatency`, () => {
      let latencyReads = 0;
      const context = {
        state: "running",
        currentTime: 3.2,
        sampleRate: SAMPLE_RATE,
        get outputLatency() {
          latencyReads++;
          return latency;
        },
        baseLatency: engine === "Firefox" ? 0 : 0.01,
        destination: {},
        addEventListener: () => undefined,
        removeEventListener: () => undefined,
        createGain: () => ({ connect: () => undefined, disconnect: () => undefined, gain: { value: 1 } }),
        createBuffer: () => ({}),
        createBufferSource: () => ({ connect: () => undefined, start: () => undefined }),
        getOutputTimestamp: () => reading(performance.now(), 3.2),
        close: () => Promise.resolve(),
      };
      const output = createWebAudioOutput({ context: context as unknown as AudioContext });
      expect(output.outputTimestamp()?.readLate).toBe(readLate);
      expect(latencyReads).toBe(0);
    });
  }
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
