import { describe, expect, it } from "vitest";
import { commandFor, receiptKey, TRACK_DURATION_MS } from "./commands.js";
import { PlaybackModel } from "./playback-model.js";
import { ServerClock } from "./server-clock.js";

const track = { audioUrl: "/t.wav", duration: 60_000 };

describe("PlaybackModel", () => {
  it("holds until a PLAY's start instant, then advances", () => {
    const model = new PlaybackModel();
    expect(model.positionAt(0)).toBeNull();
    model.apply({ type: "PLAY", ...track, startServerMs: 1_000, positionMs: 0 });
    expect(model.positionAt(900)).toBe(0);
    expect(model.positionAt(3_500)).toBe(2_500);
  });

  it("follows PAUSE, SEEK while paused, and RESUME at their instants", () => {
    const model = new PlaybackModel();
    model.apply({ type: "PLAY", ...track, startServerMs: 0, positionMs: 0 });
    model.apply({ type: "PAUSE", positionMs: 5_000, atServerMs: 5_000 });
    expect(model.positionAt(4_000)).toBe(4_000);
    expect(model.positionAt(9_000)).toBe(5_000);
    model.apply({ type: "SEEK", seekPositionMs: 20_000, atServerMs: 10_000, isPaused: true });
    expect(model.positionAt(12_000)).toBe(20_000);
    model.apply({ type: "RESUME", positionMs: 20_000, startServerMs: 15_000 });
    expect(model.positionAt(14_000)).toBe(20_000);
    expect(model.positionAt(16_000)).toBe(21_000);
  });

  it("starts from a late joiner's PLAY_SYNC and replaces the timeline on TRACK_CHANGE", () => {
    const model = new PlaybackModel();
    model.apply({ type: "PLAY_SYNC", ...track, positionMs: 30_000, atServerMs: 100_000, isPaused: false });
    expect(model.positionAt(101_000)).toBe(31_000);
    model.apply({ type: "TRACK_CHANGE", trackData: { audioUrl: "/u.wav", duration: 90_000 }, startServerMs: 102_000 });
    expect(model.positionAt(101_000)).toBe(0);
    expect(model.positionAt(105_000)).toBe(3_000);
  });

  it("takes a RESYNC's position and plays on from it, and clamps to the track", () => {
    const model = new PlaybackModel();
    model.apply({ type: "PLAY_SYNC", ...track, positionMs: 10_000, atServerMs: 0, isPaused: true });
    model.apply({ type: "RESYNC", correctPosMs: 40_000, atServerMs: 1_000, driftMs: -30_000 });
    expect(model.positionAt(2_000)).toBe(41_000);
    expect(model.positionAt(500_000)).toBe(60_000);
  });

  it("ignores a pause or seek that arrives before any track", () => {
    const model = new PlaybackModel();
    model.apply({ type: "PAUSE", positionMs: 5_000, atServerMs: 5_000 });
    expect(model.hasTrack).toBe(false);
  });
});

describe("the command cycle", () => {
  it("plays every control type, and each broadcast's key matches its command's", () => {
    const commands = Array.from({ length: 6 }, (_, seq) => commandFor("ROOM1", seq));
    expect(commands.map((command) => command.type)).toEqual(["PLAY", "SEEK", "PAUSE", "SEEK", "RESUME", "TRACK_CHANGE"]);
    expect(receiptKey(commands[0]!)).toBe(receiptKey({ type: "PLAY", audioUrl: "/soak/ROOM1-0.wav", duration: TRACK_DURATION_MS, startServerMs: 1, positionMs: 0 }));
    expect(receiptKey(commands[1]!)).toBe(receiptKey({ type: "SEEK", seekPositionMs: 6_000, atServerMs: 1, isPaused: false }));
    expect(receiptKey(commands[5]!)).toBe(
      receiptKey({ type: "TRACK_CHANGE", trackData: { audioUrl: "/soak/ROOM1-5.wav", duration: TRACK_DURATION_MS }, startServerMs: 1 }),
    );
    expect(receiptKey(commands[2]!)).toBe("PAUSE");
  });

  it("gives consecutive seeks of a room different keys, and non-commands none", () => {
    expect(receiptKey(commandFor("R", 1))).not.toBe(receiptKey(commandFor("R", 3)));
    expect(receiptKey({ type: "RESYNC", correctPosMs: 0, atServerMs: 0, driftMs: 0 })).toBeNull();
  });
});

describe("ServerClock", () => {
  it("keeps the offset of the round trip with the least delay", () => {
    let local = 1_000;
    const clock = new ServerClock(() => local);
    clock.observe(0, 520, 521, 40);
    expect(clock.offsetMs).toBeCloseTo(500.5);
    clock.observe(100, 600.5, 600.5, 102);
    expect(clock.offsetMs).toBeCloseTo(499.5);
    clock.observe(200, 900, 900, 250);
    expect(clock.offsetMs).toBeCloseTo(499.5);
    local = 2_000;
    expect(clock.serverMs()).toBeCloseTo(2_499.5);
  });
});
