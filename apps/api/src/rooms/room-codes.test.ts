import { RoomCode } from "@sync-beats/protocol";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ROOM_CODE_ALPHABET, generateRoomCode } from "./room-codes.js";

describe("room codes", () => {
  it("has no ambiguous characters", () => {
    for (const ambiguous of "0O1IL") expect(ROOM_CODE_ALPHABET).not.toContain(ambiguous);
    expect(new Set(ROOM_CODE_ALPHABET).size).toBe(ROOM_CODE_ALPHABET.length);
  });

  it("always satisfies the protocol's RoomCode (seeded property)", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 6, maxLength: 6 }), (draws) => {
        let i = 0;
        const code = generateRoomCode((max) => draws[i++]! % max);
        expect(code).toHaveLength(6);
        expect(RoomCode.parse(code)).toBe(code);
        expect(code).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
      }),
      { seed: 4, numRuns: 500 },
    );
  });

  it("uses the real CSPRNG by default", () => {
    expect(RoomCode.safeParse(generateRoomCode()).success).toBe(true);
  });
});
