import type { Track } from "@sync-beats/protocol";
import { describe, expect, it } from "vitest";
import { localizeAudioUrl, nextTrack, toTrackInfo } from "./track-info.js";

const track = (id: string, artist: string | null = "Artist"): Track => ({
  id,
  title: `Title ${id}`,
  artist,
  durationMs: 90_000,
  mimeType: "audio/wav",
  sizeBytes: 100,
  audioUrl: `http://localhost:5001/api/tracks/${id}/audio`,
  queueGrant: `grant-${id}`,
  ownerUserId: "u1",
  isDemo: false,
  createdAt: "2026-01-01T00:00:00.000Z",
});

describe("toTrackInfo", () => {
  it("maps library fields onto the wire's TrackInfo", () => {
    expect(toTrackInfo(track("a"))).toEqual({
      audioUrl: "http://localhost:5001/api/tracks/a/audio",
      duration: 90_000,
      trackId: "a",
      title: "Title a",
      artist: "Artist",
    });
  });

  it("omits a missing artist rather than sending null", () => {
    expect(toTrackInfo(track("b", null))).not.toHaveProperty("artist");
  });
});

describe("nextTrack", () => {
  const list = [track("a"), track("b"), track("c")];
  it("steps forward and wraps", () => {
    expect(nextTrack(list, "a")?.id).toBe("b");
    expect(nextTrack(list, "c")?.id).toBe("a");
  });
  it("starts at the first track when nothing (or an unknown track) plays", () => {
    expect(nextTrack(list, undefined)?.id).toBe("a");
    expect(nextTrack(list, "zzz")?.id).toBe("a");
    expect(nextTrack([], "a")).toBeNull();
  });
});

describe("localizeAudioUrl", () => {
  it("points loopback URLs at this device's API", () => {
    expect(localizeAudioUrl("http://localhost:5001/api/tracks/a/audio", "http://192.168.1.20:5001")).toBe(
      "http://192.168.1.20:5001/api/tracks/a/audio",
    );
  });
  it("leaves other hosts alone and resolves paths against the API", () => {
    expect(localizeAudioUrl("https://cdn.example.com/a.mp3", "http://localhost:5001")).toBe(
      "https://cdn.example.com/a.mp3",
    );
    expect(localizeAudioUrl("/api/tracks/a/audio", "http://localhost:7000")).toBe(
      "http://localhost:7000/api/tracks/a/audio",
    );
  });
});
