import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSIONS, parseClientMessage, parseServerMessage } from "./index.js";

describe("parseClientMessage", () => {
  it("accepts a join and normalises the room code", () => {
    const result = parseClientMessage(
      JSON.stringify({ type: "join", roomCode: " ab3k9z", versions: PROTOCOL_VERSIONS, userId: "u1" }),
    );
    expect(result).toEqual({
      ok: true,
      message: { type: "join", roomCode: "AB3K9Z", versions: PROTOCOL_VERSIONS, userId: "u1" },
    });
  });

  it.each([
    ["not json", "{nope", "BAD_JSON"],
    ["an array", "[1,2]", "INVALID_MESSAGE"],
    ["a bare number", "42", "INVALID_MESSAGE"],
    ["a missing type", "{}", "UNKNOWN_TYPE"],
    ["an unknown type", '{"type":"DANCE"}', "UNKNOWN_TYPE"],
    ["a wrong field type", '{"type":"SEEK","id":"c1","seekPositionMs":"10"}', "INVALID_MESSAGE"],
    ["a negative position", '{"type":"SEEK","id":"c1","seekPositionMs":-1}', "INVALID_MESSAGE"],
    ["a javascript: url", '{"type":"PLAY","id":"c1","audioUrl":"javascript:alert(1)","duration":1000}', "INVALID_MESSAGE"],
    ["a protocol-relative url", '{"type":"PLAY","id":"c1","audioUrl":"//evil.example/a.wav","duration":1000}', "INVALID_MESSAGE"],
    ["a zero duration", '{"type":"PLAY","id":"c1","audioUrl":"/a.wav","duration":0}', "INVALID_MESSAGE"],
    ["a command without an id", '{"type":"RESUME"}', "INVALID_MESSAGE"],
    ["a command id with a space", '{"type":"RESUME","id":"c 1"}', "INVALID_MESSAGE"],
    ["a command id over 64 characters", `{"type":"RESUME","id":"${"a".repeat(65)}"}`, "INVALID_MESSAGE"],
    ["a bad room code", '{"type":"join","roomCode":"a b","versions":{"min":2,"max":2}}', "INVALID_MESSAGE"],
    ["a version range upside down", '{"type":"join","roomCode":"ABCD","versions":{"min":3,"max":2}}', "INVALID_MESSAGE"],
    ["a non-finite t0", '{"type":"time_ping","t0":null}', "INVALID_MESSAGE"],
    ["a room_settings (removed in v2)", '{"type":"room_settings","guestsCanControl":true}', "UNKNOWN_TYPE"],
    ["a control character in a name", '{"type":"join","roomCode":"ABCD","versions":{"min":2,"max":2},"userId":"u","name":"a\\u0000b"}', "INVALID_MESSAGE"],
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
      expect(parseClientMessage(JSON.stringify({ type: "PLAY", id: "c1", audioUrl, duration: 1000 })).ok).toBe(true);
    }
  });

  it("[PV5] a malformed command whose id is readable carries that id, so its refusal can answer it", () => {
    const result = parseClientMessage('{"type":"SEEK","id":"seek-7","seekPositionMs":"ten"}');
    expect(result).toMatchObject({ ok: false, code: "INVALID_MESSAGE", commandId: "seek-7" });
  });

  it.each([
    ["no id", '{"type":"SEEK","seekPositionMs":"ten"}'],
    ["an unreadable id", '{"type":"SEEK","id":"not ok!","seekPositionMs":1}'],
    ["a non-command", '{"type":"sync_check","id":"x1","clientPosMs":1}'],
  ])("[PV5] a malformed frame with %s carries no command id", (_label, frame) => {
    const result = parseClientMessage(frame);
    expect(result.ok).toBe(false);
    expect(result).not.toHaveProperty("commandId");
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
