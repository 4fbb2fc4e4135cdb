import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { PING_FRAME, SharedFrames, textFrame, textFrameOf } from "./ws-frames.js";

/** `ws`'s own framing (its Sender is not in @types/ws): the oracle the frames must equal. */
const { Sender } = createRequire(import.meta.url)("ws") as {
  Sender: { frame(data: Buffer, options: { fin: boolean; rsv1: boolean; opcode: number; mask: boolean; readOnly: boolean }): Buffer[] };
};

/** What `ws` itself puts on the wire for a server's frame (header and payload joined); text unless told. */
function wsFrame(payload: Buffer, opcode = 1): Buffer {
  return Buffer.concat(Sender.frame(payload, { fin: true, rsv1: false, opcode, mask: false, readOnly: false }));
}

describe("text frames [SC6]", () => {
  // Each length field: 7-bit up to 125, 16-bit up to 65,535, 64-bit beyond.
  for (const bytes of [0, 1, 125, 126, 65_535, 65_536, 70_000]) {
    it(`[SC6] a ${bytes}-byte payload is framed byte for byte as ws frames it`, () => {
      const payload = Buffer.alloc(bytes, "a");
      expect(textFrameOf(payload).equals(wsFrame(payload))).toBe(true);
      expect(textFrame(payload.toString()).equals(wsFrame(payload))).toBe(true);
    });
  }

  it("[SC6] a string's length field counts UTF-8 bytes, not UTF-16 code units", () => {
    const text = `{"type":"chat","text":"${"é🎵".repeat(30)}"}`;
    expect(textFrame(text).equals(wsFrame(Buffer.from(text)))).toBe(true);
  });

  it("[SC6] a broadcast payload is framed once for all the sockets it goes to, and a new payload anew", () => {
    const frames = new SharedFrames();
    const first = Buffer.from('{"type":"SEEK"}');
    const second = Buffer.from('{"type":"PAUSE"}');
    const framed = frames.frameOf(first);
    expect(frames.frameOf(first)).toBe(framed);
    expect(frames.frameOf(second).equals(wsFrame(second))).toBe(true);
    expect(frames.frameOf(first)).not.toBe(framed);
    expect(frames.frameOf(first).equals(wsFrame(first))).toBe(true);
  });
});

describe("ping frames [SC7]", () => {
  it("[SC7] the heartbeat's ping is the frame ws sends for ping() without data", () => {
    const PING_OPCODE = 0x9;
    expect(PING_FRAME.equals(wsFrame(Buffer.alloc(0), PING_OPCODE))).toBe(true);
  });
});
