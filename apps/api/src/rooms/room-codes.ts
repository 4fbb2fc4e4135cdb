import { randomInt } from "node:crypto";

/** Uppercase letters and digits minus the look-alikes 0/O, 1/I/L: codes are read aloud and typed. */
export const ROOM_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const ROOM_CODE_LENGTH = 6;

/** A random code (31^6 ≈ 8.9e8 possibilities), from a CSPRNG so codes of private rooms are not guessable by sequence. */
export function generateRoomCode(random: (max: number) => number = randomInt): string {
  let code = "";
  for (let i = 0; i < ROOM_CODE_LENGTH; i += 1) code += ROOM_CODE_ALPHABET[random(ROOM_CODE_ALPHABET.length)];
  return code;
}
