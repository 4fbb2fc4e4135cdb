import { describe, expect, it } from "vitest";
import {
  ApiErrorBody,
  CreateRoomBody,
  LoginBody,
  SignupBody,
  TicketResponse,
  Track,
  TrackInfo,
  UpdateRoomBody,
} from "./index.js";

describe("REST contract", () => {
  it("normalises usernames and rejects bad ones", () => {
    expect(SignupBody.parse({ username: " Alice ", password: "correct horse" }).username).toBe("alice");
    expect(SignupBody.safeParse({ username: "a b", password: "correct horse" }).success).toBe(false);
    expect(SignupBody.safeParse({ username: "alice", password: "short" }).success).toBe(false);
  });

  it("login only checks lengths, so a malformed username is an ordinary failed login", () => {
    expect(LoginBody.safeParse({ username: "a b!", password: "x" }).success).toBe(true);
    expect(LoginBody.safeParse({ username: "", password: "x" }).success).toBe(false);
  });

  it("refuses control characters and lone surrogates in names", () => {
    expect(CreateRoomBody.safeParse({ name: "a\u0000b" }).success).toBe(false);
    expect(CreateRoomBody.safeParse({ name: "line\nbreak" }).success).toBe(false);
    expect(CreateRoomBody.safeParse({ name: "\ud800 lone" }).success).toBe(false);
    expect(CreateRoomBody.safeParse({ name: "Émile's 🎵 room" }).success).toBe(true);
    expect(SignupBody.safeParse({ username: "alice", password: "correct horse", displayName: "x\u0000y" }).success).toBe(false);
    expect(UpdateRoomBody.safeParse({ name: "\u0007" }).success).toBe(false);
  });

  it("fills room defaults", () => {
    expect(CreateRoomBody.parse({ name: "Friday" })).toEqual({ name: "Friday", isPublic: true, listenersCanControl: false });
  });

  it("refuses empty or unknown room updates", () => {
    expect(UpdateRoomBody.safeParse({}).success).toBe(false);
    expect(UpdateRoomBody.safeParse({ ownerUserId: "x" }).success).toBe(false);
    expect(UpdateRoomBody.safeParse({ listenersCanControl: true }).success).toBe(true);
  });

  it("accepts the error body shape and refuses unknown codes", () => {
    expect(ApiErrorBody.safeParse({ error: { code: "NOT_FOUND", message: "no such room" } }).success).toBe(true);
    expect(ApiErrorBody.safeParse({ error: { code: "NOPE", message: "x" } }).success).toBe(false);
  });

  it("a track maps onto the sync protocol's TrackInfo", () => {
    const track = Track.parse({
      id: "demo-timecode",
      title: "Timecode",
      artist: null,
      durationMs: 60_000,
      mimeType: "audio/wav",
      sizeBytes: 10_584_044,
      audioUrl: "http://localhost:5001/api/tracks/demo-timecode/audio",
      ownerUserId: "system",
      isDemo: true,
      createdAt: "2026-01-01T00:00:00.000Z",
      queueGrant: "payload.signature",
    });
    const info = TrackInfo.parse({ audioUrl: track.audioUrl, duration: track.durationMs, trackId: track.id, title: track.title });
    expect(info.trackId).toBe("demo-timecode");
  });

  it("error bodies may say UNAVAILABLE (503, retry later) besides INTERNAL", () => {
    const outage = { error: { code: "UNAVAILABLE", message: "the database is unreachable, retry later" } };
    expect(ApiErrorBody.parse(outage)).toEqual(outage);
    expect(ApiErrorBody.safeParse({ error: { code: "DOWN", message: "x" } }).success).toBe(false);
  });

  it("ticket response carries Unix-ms expiry", () => {
    expect(TicketResponse.safeParse({ ticket: "a.b", expiresAt: 1_700_000_000_000 }).success).toBe(true);
    expect(TicketResponse.safeParse({ ticket: "a.b", expiresAt: "soon" }).success).toBe(false);
  });
});
