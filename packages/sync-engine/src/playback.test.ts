import { describe, expect, it } from "vitest";
import { harness, OTHER, TRACK } from "../test/harness.js";
import { trueServerTime } from "../test/network-model.js";
import { seededRandom } from "../test/random.js";
import { MAX_SAMPLES_TO_START } from "./player.js";

type H = ReturnType<typeof harness>;

/** Heard position minus the true timeline (position `p0` at server `s0`, playing) at local `local`. */
function trueError(h: H, p0: number, s0: number, local = h.clock.now()): number {
  const heard = h.audio.heardAt(local);
  if (!heard) return Number.NaN;
  return heard.positionMs - (p0 + trueServerTime(h.server, local) - s0);
}

/** Max |true error| sampled every 100 ms over the next `ms`. */
async function maxErrorOver(h: H, ms: number, p0: number, s0: number): Promise<number> {
  let max = 0;
  for (let t = 0; t < ms; t += 100) {
    await h.clock.advance(100);
    max = Math.max(max, Math.abs(trueError(h, p0, s0)));
  }
  return max;
}

async function joinedAndPlaying(h: H, positionMs = 20_000) {
  h.engine.connect();
  const socket = await h.join();
  const s0 = h.serverNow();
  h.deliver(socket, { type: "PLAY_SYNC", ...TRACK, positionMs, atServerMs: s0, isPaused: false });
  await h.clock.advance(200);
  return { socket, s0 };
}

describe("engine: playback on the audio clock", () => {
  it("[PB1] a late joiner starts mid-track in step with the server timeline and stays there", async () => {
    const h = harness({ audio: { ppm: 1_400, outputLatencyMs: 35, timestampJitterMs: 2 } });
    const { s0 } = await joinedAndPlaying(h);
    expect(h.audio.starts).toHaveLength(1);
    expect(h.audio.starts[0]!.url).toBe(TRACK.audioUrl);
    expect(Math.abs(trueError(h, 20_000, s0))).toBeLessThan(1);
    expect(await maxErrorOver(h, 5_000, 20_000, s0)).toBeLessThan(1);
    // The 1,400 ppm audio clock would drift 42 ms in 30 s; the controller holds it.
    expect(await maxErrorOver(h, 30_000, 20_000, s0)).toBeLessThan(0.5);
    const snap = h.engine.getSnapshot();
    expect(snap.stats.hardSeeks).toBe(0);
    expect(snap.stats.audioSkewPpm).toBeGreaterThan(1_000);
    expect(snap.stats.driftHistory.length).toBeGreaterThan(100);
    expect(Math.abs(snap.stats.driftMs!)).toBeLessThan(1);
    expect(snap.isPaused).toBe(false);
    expect(snap.track).toMatchObject(TRACK);
  });

  it("[PB12] a PLAY_SYNC that arrives before the first pongs starts as soon as the clock estimate has 5 samples", async () => {
    const h = harness();
    h.engine.connect();
    await h.clock.advance(100); // socket open and credentials take a moment
    const socket = await h.join(true, 0);
    const s0 = h.serverNow();
    h.deliver(socket, { type: "PLAY_SYNC", ...TRACK, positionMs: 1_000, atServerMs: s0, isPaused: false });
    await h.clock.advance(405); // the fifth pong lands at +410 ms
    expect(h.audio.starts).toHaveLength(0);
    await h.clock.advance(10); // the next control tick is 85 ms away
    expect(h.audio.starts).toHaveLength(1);
    await h.clock.advance(100);
    expect(Math.abs(trueError(h, 1_000, s0))).toBeLessThan(1.5);
    expect(await maxErrorOver(h, 3_000, 1_000, s0)).toBeLessThan(1.5);
    expect(Math.abs(trueError(h, 1_000, s0))).toBeLessThan(0.5);
  });

  it("[PB17] on a jittery link the first start waits for a settled clock estimate, so it starts within a few ms and needs no re-seek", async () => {
    const errors: number[] = [];
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const random = seededRandom(seed);
      const h = harness({ pingDelays: () => ({ up: 30 + 40 * random(), down: 30 + 40 * random() }) });
      h.engine.connect();
      await h.clock.advance(100);
      const socket = await h.join(false, 0);
      const s0 = h.serverNow();
      h.deliver(socket, { type: "PLAY_SYNC", ...TRACK, positionMs: 1_000, atServerMs: s0, isPaused: false });
      await h.clock.advance(1_000); // 5–9 pongs: the old rule would have started on them
      expect(h.audio.starts).toHaveLength(0);
      let waitedMs = 1_000;
      while (h.audio.starts.length === 0 && waitedMs < 5_000) {
        await h.clock.advance(50);
        waitedMs += 50;
      }
      expect(h.audio.starts).toHaveLength(1);
      expect(h.engine.getSnapshot().stats.clockSamples).toBeLessThanOrEqual(MAX_SAMPLES_TO_START + 1);
      await h.clock.advance(100);
      errors.push(Math.abs(trueError(h, 1_000, s0)));
      await h.clock.advance(3_000);
      expect(h.engine.getSnapshot().stats.hardSeeks).toBe(0);
    }
    expect(Math.max(...errors)).toBeLessThan(4);
  });

  it("[PB13] a dropped connection does not interrupt the music; the re-sent PLAY_SYNC is adopted without a restart", async () => {
    const h = harness();
    const { socket, s0 } = await joinedAndPlaying(h);
    await h.clock.advance(5_000);
    socket.serverClose(1001, "restarting");
    await h.clock.advance(2_000);
    expect(h.audio.heardAt(h.clock.now())).not.toBeNull();
    const again = await h.join(true, 0);
    h.deliver(again, { type: "PLAY_SYNC", ...TRACK, positionMs: 20_000 + (h.serverNow() - s0), atServerMs: h.serverNow(), isPaused: false });
    expect(await maxErrorOver(h, 3_000, 20_000, s0)).toBeLessThan(0.5);
    expect(h.audio.starts).toHaveLength(1);
    expect(h.engine.getSnapshot().stats.hardSeeks).toBe(0);
  });

  it("[PB14] while the clock estimate is young (first ~10 s), errors past 10 ms re-seek instead of slewing", async () => {
    const h = harness();
    const { socket, s0 } = await joinedAndPlaying(h);
    const at = h.serverNow();
    h.deliver(socket, { type: "RESYNC", correctPosMs: 20_000 + (at - s0) + 20, atServerMs: at, driftMs: -20 });
    await h.clock.advance(300);
    expect(h.engine.getSnapshot().stats.hardSeeks).toBe(1);
    expect(Math.abs(trueError(h, 20_020, s0))).toBeLessThan(1);
  });

  it("[PB15] young-estimate re-seeks are 3 s apart: a second jump soon after is slewed", async () => {
    const h = harness();
    const { socket, s0 } = await joinedAndPlaying(h);
    for (const extra of [20, 40]) {
      const at = h.serverNow();
      h.deliver(socket, { type: "RESYNC", correctPosMs: 20_000 + (at - s0) + extra, atServerMs: at, driftMs: -20 });
      await h.clock.advance(1_000);
    }
    expect(h.engine.getSnapshot().stats.hardSeeks).toBe(1);
    expect(h.engine.getSnapshot().stats.playbackRate).toBeGreaterThan(1.003);
  });

  it("[PB16] an audio device stall long after joining is re-seeked at once, not slewed for seconds", async () => {
    const h = harness();
    const { s0 } = await joinedAndPlaying(h);
    await h.clock.advance(20_000); // the clock estimate is settled: 50 ms would be the threshold
    expect(Math.abs(trueError(h, 20_000, s0))).toBeLessThan(1);
    h.audio.stall(40);
    await h.clock.advance(1_000);
    expect(h.engine.getSnapshot().stats.hardSeeks).toBe(1);
    expect(Math.abs(trueError(h, 20_000, s0))).toBeLessThan(2); // the restarted speaker fit is young
    await h.clock.advance(3_000);
    expect(Math.abs(trueError(h, 20_000, s0))).toBeLessThan(1);
  });

  it.each([100, 1_000])("[DC8] through the engine: a %s ms device stall is corrected once and the speaker is back within 2 ms in 2 s", async (ms) => {
    const h = harness({ audio: { timestampJitterMs: 0.1 } });
    const { s0 } = await joinedAndPlaying(h);
    await h.clock.advance(20_000);
    h.audio.stall(ms);
    await h.clock.advance(ms + 35 + 2_000);
    expect(h.engine.getSnapshot().stats.hardSeeks).toBe(1);
    expect(await maxErrorOver(h, 5_000, 20_000, s0)).toBeLessThan(2);
    expect(h.engine.getSnapshot().stats.hardSeeks).toBe(1);
  });

  it("[LS5] a SEEK that arrives 120 ms after its instant (a link too slow for the lead): a short silence, then in sync", async () => {
    const h = harness({ audio: { timestampJitterMs: 0.1 } });
    const { socket } = await joinedAndPlaying(h, 0);
    await h.clock.advance(15_000);
    const seekAt = h.serverNow() - 120 + 5; // delivered after the 5 ms down leg: 120 ms late
    h.deliver(socket, { type: "SEEK", seekPositionMs: 90_000, atServerMs: seekAt, isPaused: false });
    await h.clock.advance(20);
    expect(h.audio.stops.length).toBe(1);
    await h.clock.advance(200);
    expect(Math.abs(trueError(h, 90_000, seekAt))).toBeLessThan(1);
    expect(await maxErrorOver(h, 3_000, 90_000, seekAt)).toBeLessThan(1);
    expect(h.engine.getSnapshot().stats.hardSeeks).toBe(0);
  });

  it("[PB2] PLAY starts at its server instant, converted through the clock estimate", async () => {
    const h = harness({ server: { offsetMs: 1.7e12 + 123.456, skew: 50e-6 } });
    h.engine.connect();
    const socket = await h.join();
    const start = h.serverNow() + 300;
    h.deliver(socket, { type: "PLAY", ...TRACK, startServerMs: start, positionMs: 0 });
    await h.clock.advance(100);
    expect(h.audio.starts).toHaveLength(1);
    const heardLocal = h.audio.heardLocalOf(h.audio.starts[0]!.when);
    expect(Math.abs(trueServerTime(h.server, heardLocal) - start)).toBeLessThan(0.5);
    expect(h.engine.getSnapshot().isPaused).toBe(true); // not yet started
    await h.clock.advance(400);
    expect(h.engine.getSnapshot().isPaused).toBe(false);
    expect(await maxErrorOver(h, 3_000, 0, start)).toBeLessThan(1);
  });

  it("[PB3] PAUSE, RESUME, SEEK and TRACK_CHANGE each happen at their server instants", async () => {
    const h = harness();
    const { socket, s0 } = await joinedAndPlaying(h, 0);
    const heardServer = (when: number) => trueServerTime(h.server, h.audio.heardLocalOf(when));

    const pauseAt = h.serverNow() + 200;
    h.deliver(socket, { type: "PAUSE", positionMs: pauseAt - s0, atServerMs: pauseAt });
    await h.clock.advance(100);
    expect(Math.abs(heardServer(h.audio.stops.at(-1)!) - pauseAt)).toBeLessThan(0.5);
    await h.clock.advance(1_000);
    expect(h.audio.heardAt(h.clock.now())).toBeNull();
    expect(h.engine.getSnapshot().isPaused).toBe(true);

    const resumeAt = h.serverNow() + 200;
    h.deliver(socket, { type: "RESUME", positionMs: pauseAt - s0, startServerMs: resumeAt });
    await h.clock.advance(100);
    const resumed = h.audio.starts.at(-1)!;
    expect(Math.abs(heardServer(resumed.when) - resumeAt)).toBeLessThan(0.5);
    expect(resumed.offsetMs).toBeCloseTo(pauseAt - s0, 0);
    await h.clock.advance(1_000);
    expect(Math.abs(trueError(h, pauseAt - s0, resumeAt))).toBeLessThan(1);

    const seekAt = h.serverNow() + 200;
    h.deliver(socket, { type: "SEEK", seekPositionMs: 90_000, atServerMs: seekAt, isPaused: false });
    await h.clock.advance(100);
    expect(Math.abs(heardServer(h.audio.starts.at(-1)!.when) - seekAt)).toBeLessThan(0.5);
    await h.clock.advance(1_000);
    expect(Math.abs(trueError(h, 90_000, seekAt))).toBeLessThan(1);

    const changeAt = h.serverNow() + 200;
    h.deliver(socket, { type: "TRACK_CHANGE", trackData: OTHER, startServerMs: changeAt });
    await h.clock.advance(1_000);
    expect(h.audio.heardAt(h.clock.now())?.url).toBe(OTHER.audioUrl);
    expect(Math.abs(heardServer(h.audio.starts.at(-1)!.when) - changeAt)).toBeLessThan(0.5);
    expect(Math.abs(trueError(h, 0, changeAt))).toBeLessThan(1);
    expect(h.engine.getSnapshot().track?.title).toBe("B");
    expect(h.engine.getSnapshot().stats.hardSeeks).toBe(0);
  });

  it("[PB4] an asymmetric path (20 ms up, 80 ms down) leaves the theoretical (up − down)/2 error", async () => {
    const h = harness({ upMs: 20, downMs: 80 });
    const { s0 } = await joinedAndPlaying(h);
    await h.clock.advance(10_000);
    expect(trueError(h, 20_000, s0)).toBeCloseTo((20 - 80) / 2, 0);
    expect(h.engine.getSnapshot().stats.hardSeeks).toBe(0);
  });

  it("[PB5][LS5] RESYNC: a small correction is slewed by rate; one that moves the line past 50 ms is joined at once", async () => {
    const h = harness();
    const { socket, s0 } = await joinedAndPlaying(h);
    await h.clock.advance(12_000); // a mature clock estimate (see PB14 for a young one)
    const at = h.serverNow();
    h.deliver(socket, { type: "RESYNC", correctPosMs: 20_000 + (at - s0) + 20, atServerMs: at, driftMs: -20 });
    await h.clock.advance(300);
    expect(h.engine.getSnapshot().stats.resyncs).toBe(1);
    // Slewing forward at the full +0.49 % (DC10: 0.5 % less a 100 ppm margin) on top of the 1/1.0014 feed-forward rate.
    expect(h.engine.getSnapshot().stats.playbackRate).toBeCloseTo((1 / 1.0014) * 1.0049, 4);
    expect(await maxErrorOver(h, 10_000, 20_020, s0)).toBeLessThan(25);
    expect(Math.abs(trueError(h, 20_020, s0))).toBeLessThan(0.5);
    expect(h.engine.getSnapshot().stats.hardSeeks).toBe(0);
    const later = h.serverNow();
    h.deliver(socket, { type: "RESYNC", correctPosMs: 20_020 + (later - s0) + 400, atServerMs: later, driftMs: -400 });
    await h.clock.advance(300);
    // A moved line is a transition already due (LS5), not a drift re-seek.
    expect(h.engine.getSnapshot().stats.hardSeeks).toBe(0);
    expect(h.audio.stops.length).toBeGreaterThan(0);
    expect(Math.abs(trueError(h, 20_420, s0))).toBeLessThan(1);
  });

  it("[PB6] while audio is locked nothing plays; unlocking starts at the right position", async () => {
    const h = harness({ audio: { initialState: "locked" } });
    const { s0 } = await joinedAndPlaying(h);
    expect(h.engine.getSnapshot().audio).toBe("locked");
    expect(h.audio.starts).toHaveLength(0);
    await h.engine.unlockAudio();
    await h.clock.advance(2_000);
    expect(h.engine.getSnapshot().audio).toBe("running");
    expect(h.audio.starts).toHaveLength(1);
    expect(Math.abs(trueError(h, 20_000, s0))).toBeLessThan(1);
  });

  it("[PB7] the output latency offset feeds the speaker that much earlier", async () => {
    const h = harness();
    const { s0 } = await joinedAndPlaying(h);
    h.engine.setOutputLatencyOffsetMs(40);
    await h.clock.advance(15_000);
    // This fake speaker has no extra latency, so the compensation shows as a 40 ms lead.
    expect(trueError(h, 20_000, s0)).toBeCloseTo(40, 0);
    expect(h.engine.getSnapshot().stats.outputLatencyOffsetMs).toBe(40);
  });

  it("[PB8] sync_check reports the rendered position and the server instant it is heard", async () => {
    const h = harness();
    const { socket, s0 } = await joinedAndPlaying(h);
    await h.clock.advance(4_100);
    const checks = socket.sentOf("sync_check");
    expect(checks.length).toBeGreaterThanOrEqual(2);
    for (const check of checks) {
      const expected = 20_000 + (check.clientTimeMs as number) - s0;
      expect(Math.abs((check.clientPosMs as number) - expected)).toBeLessThan(1);
    }
  });

  it("[PB9] the naive algorithm never nudges: the speaker latency and audio clock drift show", async () => {
    const h = harness({ algorithm: "naive", audio: { ppm: 1_400, outputLatencyMs: 35 } });
    const { s0 } = await joinedAndPlaying(h);
    await h.clock.advance(1_000);
    const early = trueError(h, 20_000, s0);
    expect(early).toBeLessThan(-30); // heard 35 ms late: currentTime is not what the speaker plays
    await h.clock.advance(30_000);
    expect(trueError(h, 20_000, s0) - early).toBeCloseTo(42, 0); // 1,400 ppm × 30 s
    expect(h.engine.getSnapshot().stats.playbackRate).toBe(1);
    expect(h.engine.getSnapshot().stats.hardSeeks).toBe(0);
  });

  it("[PB10] the calibration click lands on a whole server second", async () => {
    const h = harness();
    h.engine.connect();
    await h.join();
    h.engine.playCalibrationClick();
    const click = h.audio.clicks[0]!;
    const heard = trueServerTime(h.server, h.audio.heardLocalOf(click));
    expect(Math.abs(heard - Math.round(heard / 1000) * 1000)).toBeLessThan(0.5);
  });

  it("[PB11] playback stops at the end of the track", async () => {
    const h = harness();
    await joinedAndPlaying(h, TRACK.duration - 1_000);
    await h.clock.advance(2_000);
    expect(h.audio.stops.length).toBeGreaterThan(0);
    expect(h.engine.getSnapshot().positionMs).toBe(TRACK.duration);
  });
});
