import { describe, expect, it } from "vitest";
import { commandFor, receiptKey, TRACK_DURATION_MS } from "./commands.js";
import { QUEUE_TRACK_MS } from "./queue-actions.js";

describe("the command cycle", () => {
  it("plays every control type, and each broadcast's key matches its command's", () => {
    const commands = Array.from({ length: 6 }, (_, seq) => commandFor("ROOM1", seq));
    expect(commands.map((command) => command.type)).toEqual(["PLAY", "SEEK", "PAUSE", "SEEK", "RESUME", "TRACK_CHANGE"]);
    expect(receiptKey(commands[0]!)).toBe(receiptKey({ type: "PLAY", audioUrl: "/soak/ROOM1-0.wav", duration: TRACK_DURATION_MS, startServerMs: 1, positionMs: 0 }));
    expect(receiptKey(commands[1]!)).toBe(receiptKey({ type: "SEEK", seekPositionMs: 130, atServerMs: 1, isPaused: false }));
    expect(receiptKey(commands[5]!)).toBe(
      receiptKey({ type: "TRACK_CHANGE", trackData: { audioUrl: "/soak/ROOM1-5.wav", duration: TRACK_DURATION_MS }, startServerMs: 1 }),
    );
    expect(receiptKey(commands[2]!)).toBe("PAUSE");
  });

  it("gives consecutive seeks of a room different keys, and non-commands none", () => {
    expect(receiptKey(commandFor("R", 1))).not.toBe(receiptKey(commandFor("R", 3)));
    expect(receiptKey({ type: "RESYNC", correctPosMs: 0, atServerMs: 0, driftMs: 0 })).toBeNull();
  });

  it("seeks within the shortest queued track, so the server never clamps a seek and its broadcast keeps the key", () => {
    const seeks = Array.from({ length: 200 }, (_, seq) => commandFor("R", seq)).flatMap((command) => (command.type === "SEEK" ? [command.seekPositionMs] : []));
    expect(Math.max(...seeks)).toBeLessThan(QUEUE_TRACK_MS[0]);
  });
});
