import type { TrackInfo } from "@sync-beats/protocol";
import { describe, expect, it } from "vitest";
import { MEDIA_SESSION_ACTIONS, mediaSessionSeekTargetMs, mediaSessionState, type MediaSessionInput } from "./media-session.js";

const track: TrackInfo = { audioUrl: "http://localhost:5001/api/tracks/t1/audio", duration: 90_000, trackId: "t1", title: "Four Chords", artist: "Demo" };
const artwork = [{ src: "http://localhost:3000/icons/icon-192.png", sizes: "192x192", type: "image/png" }];
const input = (changes: Partial<MediaSessionInput> = {}): MediaSessionInput => ({
  track,
  roomName: "Friday",
  positionMs: 12_500,
  isPaused: false,
  canControl: true,
  artwork,
  ...changes,
});

describe("Media Session state of the room page", () => {
  it("[MS1] shows the track: title, artist, the room as album, the app icon as artwork", () => {
    expect(mediaSessionState(input()).metadata).toEqual({ title: "Four Chords", artist: "Demo", album: "Friday", artwork });
  });

  it("[MS1] falls back to placeholder names for an untagged track and a room not loaded yet", () => {
    const { metadata } = mediaSessionState(input({ track: { audioUrl: track.audioUrl, duration: 1_000 }, roomName: null }));
    expect(metadata).toMatchObject({ title: "Untitled", artist: "Unknown artist", album: "Sync Beats" });
  });

  it("[MS1] gives the live timeline's position in seconds at rate 1, playing or paused", () => {
    expect(mediaSessionState(input())).toMatchObject({ playbackState: "playing", position: { duration: 90, position: 12.5, playbackRate: 1 } });
    expect(mediaSessionState(input({ isPaused: true }))).toMatchObject({ playbackState: "paused", position: { position: 12.5, playbackRate: 1 } });
  });

  it("[MS1] clamps the position into [0, duration] as setPositionState requires", () => {
    expect(mediaSessionState(input({ positionMs: 95_000 })).position?.position).toBe(90);
    expect(mediaSessionState(input({ positionMs: -40 })).position?.position).toBe(0);
  });

  it("[MS2] registers play/pause/seek only for a member who may control; a listener gets none", () => {
    expect(mediaSessionState(input()).actions).toEqual(MEDIA_SESSION_ACTIONS);
    expect(mediaSessionState(input({ canControl: false })).actions).toEqual([]);
  });

  it("[MS1] nothing playing: no card, no position, no actions", () => {
    expect(mediaSessionState(input({ track: null }))).toEqual({ metadata: null, playbackState: "none", position: null, actions: [] });
  });
});

describe("Media Session seek actions", () => {
  it("[MS2] seekto lands at its time; skips move by their offset or 10 s; all clamped to the track", () => {
    expect(mediaSessionSeekTargetMs("seekto", { seekTime: 42.25 }, 10_000, 90_000)).toBe(42_250);
    expect(mediaSessionSeekTargetMs("seekforward", {}, 10_000, 90_000)).toBe(20_000);
    expect(mediaSessionSeekTargetMs("seekbackward", { seekOffset: 3 }, 10_000, 90_000)).toBe(7_000);
    expect(mediaSessionSeekTargetMs("seekbackward", {}, 4_000, 90_000)).toBe(0);
    expect(mediaSessionSeekTargetMs("seekforward", {}, 85_000, 90_000)).toBe(90_000);
  });
});
