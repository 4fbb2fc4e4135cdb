import type { ServerMessage, ServerMessageOf } from "@sync-beats/protocol";
import { anchorAt, type Anchor, positionFromAnchor, stateAt, type Timeline, withAnchor } from "./timeline.js";
import { trackOf } from "./track.js";

/** The broadcasts that move a timeline. */
export type TimelineMessage = ServerMessageOf<"PLAY_SYNC" | "PLAY" | "PAUSE" | "RESUME" | "SEEK" | "TRACK_CHANGE" | "RESYNC">;

/** True for a message {@link applyTimelineMessage} understands. */
export function isTimelineMessage(message: ServerMessage): message is TimelineMessage {
  switch (message.type) {
    case "PLAY_SYNC":
    case "PLAY":
    case "PAUSE":
    case "RESUME":
    case "SEEK":
    case "TRACK_CHANGE":
    case "RESYNC":
      return true;
    default:
      return false;
  }
}

/** Below this (ms) a RESYNC agrees with the timeline already: keeping the anchor leaves the audio undisturbed. */
const RESYNC_AGREEMENT_MS = 1e-3;

/**
 * Applies one broadcast, on the client and on the server alike: the server announces a command by
 * building its message and moves its own timeline with this same function. Returns the same
 * timeline when nothing changes (a PAUSE, RESUME or SEEK before any track, a RESYNC that agrees).
 */
export function applyTimelineMessage(timeline: Timeline, message: TimelineMessage): Timeline {
  switch (message.type) {
    case "PLAY_SYNC": {
      const anchor: Anchor = { atServerMs: message.atServerMs, positionMs: message.positionMs, paused: message.isPaused, track: trackOf(message) };
      return { anchors: [anchor], version: timeline.version + 1 };
    }
    case "PLAY":
      return withAnchor(timeline, { atServerMs: message.startServerMs, positionMs: message.positionMs, paused: false, track: trackOf(message) }, true);
    case "TRACK_CHANGE":
      return withAnchor(timeline, { atServerMs: message.startServerMs, positionMs: 0, paused: false, track: trackOf(message.trackData) }, true);
    case "PAUSE":
      return onSameTrack(timeline, message.atServerMs, message.positionMs, true);
    case "RESUME":
      return onSameTrack(timeline, message.startServerMs, message.positionMs, false);
    case "SEEK":
      return onSameTrack(timeline, message.atServerMs, message.seekPositionMs, message.isPaused);
    case "RESYNC": {
      const current = anchorAt(timeline, message.atServerMs);
      if (!current) return timeline;
      if (Math.abs(positionFromAnchor(current, message.atServerMs) - message.correctPosMs) < RESYNC_AGREEMENT_MS) return timeline;
      // A correction of this client's view, not a command: commands still pending stay.
      return withAnchor(timeline, { ...current, atServerMs: message.atServerMs, positionMs: message.correctPosMs }, false);
    }
  }
}

/** A command that keeps the track in force at `atServerMs` (ignored before any track). */
function onSameTrack(timeline: Timeline, atServerMs: number, positionMs: number, paused: boolean): Timeline {
  const state = stateAt(timeline, atServerMs);
  if (!state) return timeline;
  return withAnchor(timeline, { atServerMs, positionMs, paused, track: state.track }, true);
}
