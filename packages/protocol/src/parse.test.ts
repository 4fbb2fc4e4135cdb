import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION, parseClientMessage, parseServerMessage } from "./index.js";

describe("parseClientMessage", () => {
  it("accepts a join and normalises the room code", () => {
    const result = parseClientMessage(
      JSON.stringify({ type: "join", roomCode: " ab3k9z", protocolVersion: PROTOCOL_VERSION, userId: "u1" }),
    );
    expect(result).toEqual({
      ok: true,
      message: { type: "join", roomCode: "AB3K9Z", protocolVersion: PROTOCOL_VERSION, userId: "u1" },
    });
  });

  it.each([
    ["not json", "{nope", "BAD_JSON"],
    ["an array", "[1,2]", "INVALID_MESSAGE"],
    ["a bare number", "42", "INVALID_MESSAGE"],
    ["a missing type", "{}", "UNKNOWN_TYPE"],
    ["an unknown type", '{"type":"DANCE"}', "UNKNOWN_TYPE"],
    ["a wrong field type", '{"type":"SEEK","seekPositionMs":"10"}', "INVALID_MESSAGE"],
    ["a negative position", '{"type":"SEEK","seekPositionMs":-1}', "INVALID_MESSAGE"],
    ["a javascript: url", '{"type":"PLAY","audioUrl":"javascript:alert(1)","duration":1000}', "INVALID_MESSAGE"],
    ["a protocol-relative url", '{"type":"PLAY","audioUrl":"//evil.example/a.wav","duration":1000}', "INVALID_MESSAGE"],
    ["a zero duration", '{"type":"PLAY","audioUrl":"/a.wav","duration":0}', "INVALID_MESSAGE"],
    ["a bad room code", '{"type":"join","roomCode":"a b","protocolVersion":1}', "INVALID_MESSAGE"],
    ["a non-finite t0", '{"type":"time_ping","t0":null}', "INVALID_MESSAGE"],
    ["a control character in a name", '{"type":"join","roomCode":"ABCD","protocolVersion":1,"userId":"u","name":"a\\u0000b"}', "INVALID_MESSAGE"],
  ])("rejects %s with %s", (_label, frame, code) => {
    const result = parseClientMessage(frame);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(code);
      expect(result.message.length).toBeGreaterThan(0);
    }
  });

  it("[B1] a deeply nested type is UNKNOWN_TYPE, not a stack overflow", () => {
    const deep = `{"type":${"[".repeat(5_000)}${"]".repeat(5_000)}}`;
    expect(parseClientMessage(deep)).toEqual({ ok: false, code: "UNKNOWN_TYPE", message: "unknown message type: object" });
  });

  it("accepts http(s) and same-origin audio URLs", () => {
    for (const audioUrl of ["/api/tracks/1/audio", "https://cdn.example/a.mp3", "http://localhost:5001/a.wav"]) {
      expect(parseClientMessage(JSON.stringify({ type: "PLAY", audioUrl, duration: 1000 })).ok).toBe(true);
    }
  });
});

describe("parseServerMessage", () => {
  it("round-trips a time_pong", () => {
    const pong = { type: "time_pong", t0: -5.5, t1: 10, t2: 11, serverTime: 11, playbackPosition: null };
    expect(parseServerMessage(JSON.stringify(pong))).toEqual({ ok: true, message: pong });
  });

  it("rejects a server frame with a bad error code", () => {
    const result = parseServerMessage('{"type":"error","code":"WHATEVER","message":"x"}');
    expect(result.ok).toBe(false);
  });
});
