import { describe, expect, it } from "vitest";
import { peekExchange } from "./ws-frame-peek.js";

function frame(text: string, mask?: readonly number[]): Uint8Array {
  const payload = new TextEncoder().encode(text);
  const header = mask ? [0x81, 0x80 | payload.length, ...mask] : [0x81, payload.length];
  return new Uint8Array([...header, ...payload.map((b, i) => (mask ? b ^ mask[i % 4]! : b))]);
}

describe("peekExchange", () => {
  it("reads a server's unmasked pong and a client's masked ping by their t0", () => {
    expect(peekExchange(frame('{"type":"time_pong","t0":12.5,"t1":3,"t2":4}'))).toEqual({ type: "time_pong", t0: 12.5 });
    expect(peekExchange(frame('{"type":"time_ping","t0":99.25}', [0x12, 0xab, 0x07, 0xfe]))).toEqual({ type: "time_ping", t0: 99.25 });
  });

  it("ignores other messages, binary frames and cut-off chunks", () => {
    expect(peekExchange(frame('{"type":"sync_check","clientPosMs":1}'))).toBeNull();
    const binary = frame('{"type":"time_pong","t0":1}');
    binary[0] = 0x82;
    expect(peekExchange(binary)).toBeNull();
    expect(peekExchange(frame('{"type":"time_pong","t0":1}').slice(0, 10))).toBeNull();
  });
});
