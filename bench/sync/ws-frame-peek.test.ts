import { describe, expect, it } from "vitest";
import { peekExchange } from "./ws-frame-peek.js";

function frame(text: string, mask?: readonly number[]): Uint8Array {
  const payload = new TextEncoder().encode(text);
  const length = payload.length < 126 ? [payload.length] : [126, payload.length >> 8, payload.length & 0xff];
  const header = [0x81, (mask ? 0x80 : 0) | length[0]!, ...length.slice(1), ...(mask ?? [])];
  return new Uint8Array([...header, ...payload.map((b, i) => (mask ? b ^ mask[i % 4]! : b))]);
}

describe("peekExchange", () => {
  it("reads a server's unmasked pong and a client's masked ping by their t0", () => {
    expect(peekExchange(frame('{"type":"time_pong","t0":12.5,"t1":3,"t2":4}'))).toEqual({ type: "time_pong", t0: 12.5 });
    expect(peekExchange(frame('{"type":"time_ping","t0":99.25}', [0x12, 0xab, 0x07, 0xfe]))).toEqual({ type: "time_ping", t0: 99.25 });
  });

  it("reads a pong longer than 125 bytes (16-bit length), as the sync server's are", () => {
    const pong = '{"type":"time_pong","t0":3259.2853661999116,"t1":1764627421123.4567,"t2":1764627421123.5567,"serverTime":1764627421123.5567,"playbackPosition":null}';
    expect(pong.length).toBeGreaterThan(125);
    expect(peekExchange(frame(pong))).toEqual({ type: "time_pong", t0: 3259.2853661999116 });
    expect(peekExchange(frame(pong.replace("pong", "ping"), [1, 2, 3, 4]))).toEqual({ type: "time_ping", t0: 3259.2853661999116 });
  });

  it("ignores other messages, binary frames and cut-off chunks", () => {
    expect(peekExchange(frame('{"type":"sync_check","clientPosMs":1}'))).toBeNull();
    const binary = frame('{"type":"time_pong","t0":1}');
    binary[0] = 0x82;
    expect(peekExchange(binary)).toBeNull();
    expect(peekExchange(frame('{"type":"time_pong","t0":1}').slice(0, 10))).toBeNull();
  });
});
