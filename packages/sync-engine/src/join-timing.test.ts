import { describe, expect, it } from "vitest";
import { FakeAudioOutput } from "../test/fake-audio.js";
import { FakeClock } from "../test/fake-clock.js";
import { harness } from "../test/harness.js";
import { DEFAULT_OUTPUT_LATENCY_MS, declaredJoinTiming, SCHEDULING_MARGIN_MS } from "./join-timing.js";

describe("join timing declaration", () => {
  it("[LS4] declares the scheduling margin and the device's output latency, read from a speaker pair", () => {
    const clock = new FakeClock(5_000);
    const audio = new FakeAudioOutput(clock, { outputLatencyMs: 42, timestampJitterMs: 0 });
    const timing = declaredJoinTiming(audio, clock.now());
    expect(timing.schedulingMarginMs).toBe(SCHEDULING_MARGIN_MS);
    // currentTime is quantised to a 128-frame render quantum (2.9 ms).
    expect(timing.outputLatencyMs).toBeGreaterThanOrEqual(39);
    expect(timing.outputLatencyMs).toBeLessThanOrEqual(43);
  });

  it("[LS4] without a running device it declares the default, and never more than the protocol allows", () => {
    const clock = new FakeClock(5_000);
    expect(declaredJoinTiming(null, clock.now()).outputLatencyMs).toBe(DEFAULT_OUTPUT_LATENCY_MS);
    expect(declaredJoinTiming(new FakeAudioOutput(clock, { initialState: "locked" }), clock.now()).outputLatencyMs).toBe(DEFAULT_OUTPUT_LATENCY_MS);
    expect(declaredJoinTiming(new FakeAudioOutput(clock, { outputLatencyMs: 2_000, startedAgoMs: 5_000 }), clock.now()).outputLatencyMs).toBe(500);
  });

  it("[LS4] the engine's join carries the declaration", async () => {
    const h = harness();
    h.engine.connect();
    await h.clock.advance(10);
    const socket = h.sockets.last();
    socket.open();
    await h.clock.advance(0);
    const [join] = socket.sentOf("join");
    expect(join).toMatchObject({ timing: { schedulingMarginMs: SCHEDULING_MARGIN_MS } });
  });
});
