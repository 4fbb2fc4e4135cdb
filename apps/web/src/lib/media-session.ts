import type { TrackInfo } from "@sync-beats/protocol";

/** How far the lock screen's "skip back/forward" buttons move, in seconds. */
export const MEDIA_SESSION_SKIP_SECONDS = 10;

/** The action handlers the page registers, by the Media Session spec's names. */
export type MediaSessionActionName = "play" | "pause" | "seekto" | "seekbackward" | "seekforward";

/** Every action the page registers for a member who may control; cleared again when control ends. */
export const MEDIA_SESSION_ACTIONS: readonly MediaSessionActionName[] = ["play", "pause", "seekto", "seekbackward", "seekforward"];

/** What the operating system shows and offers for the room (lock screen, notification, headset keys). */
export interface MediaSessionState {
  /** Null when nothing plays: the OS shows no media card. */
  metadata: { title: string; artist: string; album: string; artwork: { src: string; sizes: string; type: string }[] } | null;
  playbackState: "none" | "paused" | "playing";
  /** Seconds, as `setPositionState` takes them; null when nothing plays. */
  position: { duration: number; position: number; playbackRate: number } | null;
  /** Registered only for a member who may control the room now; a listener gets none. */
  actions: readonly MediaSessionActionName[];
}

export interface MediaSessionInput {
  track: TrackInfo | null;
  roomName: string | null;
  /** The live timeline's position now (ms). */
  positionMs: number;
  isPaused: boolean;
  canControl: boolean;
  /** Absolute URLs of the app icon, for the artwork. */
  artwork: { src: string; sizes: string; type: string }[];
}

/**
 * The Media Session state of the room page, from the live timeline. The timeline runs at rate 1
 * while playing (drift control's fine rate trims are not the room's rate); paused, the OS is told
 * "paused" and keeps rate 1 (the API refuses rate 0). Position is clamped into [0, duration], which
 * `setPositionState` requires.
 */
export function mediaSessionState(input: MediaSessionInput): MediaSessionState {
  const { track } = input;
  if (!track) return { metadata: null, playbackState: "none", position: null, actions: [] };
  const duration = track.duration / 1000;
  return {
    metadata: {
      title: track.title ?? "Untitled",
      artist: track.artist ?? "Unknown artist",
      album: input.roomName ?? "Sync Beats",
      artwork: input.artwork,
    },
    playbackState: input.isPaused ? "paused" : "playing",
    position: { duration, position: Math.min(duration, Math.max(0, input.positionMs / 1000)), playbackRate: 1 },
    actions: input.canControl ? MEDIA_SESSION_ACTIONS : [],
  };
}

/** Where a seek action lands (ms): `seekto` at its time, skips by their offset (default 10 s), clamped. */
export function mediaSessionSeekTargetMs(
  action: "seekto" | "seekbackward" | "seekforward",
  details: { seekTime?: number; seekOffset?: number },
  positionMs: number,
  durationMs: number,
): number {
  const offsetMs = (details.seekOffset ?? MEDIA_SESSION_SKIP_SECONDS) * 1000;
  const target =
    action === "seekto" ? (details.seekTime ?? positionMs / 1000) * 1000 : action === "seekforward" ? positionMs + offsetMs : positionMs - offsetMs;
  return Math.round(Math.min(durationMs, Math.max(0, target)));
}
