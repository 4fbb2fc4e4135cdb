import type { ServerMessage, TrackInfo } from "@sync-beats/protocol";

/**
 * From server instant `atServerMs` on, `track` is at `positionMs` and advances 1:1 with the server
 * clock unless `paused`.
 */
export interface Anchor {
  readonly atServerMs: number;
  readonly positionMs: number;
  readonly paused: boolean;
  readonly track: TrackInfo;
}

/**
 * The room's canonical timeline: anchors in server-time order. Commands take effect at their own
 * server instant, not on receipt, so a PLAY scheduled 300 ms ahead is a future anchor until then.
 * `version` increases with every change (the engine reschedules audio when it moves).
 */
export interface Timeline {
  readonly anchors: readonly Anchor[];
  readonly version: number;
}

/** What should be heard at one server instant. */
export interface TimelineState {
  readonly track: TrackInfo;
  readonly positionMs: number;
  readonly paused: boolean;
  /** True once the position has reached the track's end. */
  readonly ended: boolean;
  /** The anchor in force. */
  readonly anchor: Anchor;
}

/** The empty timeline (no track yet). */
export const EMPTY_TIMELINE: Timeline = { anchors: [], version: 0 };

/** The messages that move the timeline. */
export type TimelineMessage = Extract<
  ServerMessage,
  { type: "PLAY_SYNC" | "PLAY" | "PAUSE" | "RESUME" | "SEEK" | "TRACK_CHANGE" | "RESYNC" }
>;

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

function trackOf(message: TrackInfo): TrackInfo {
  const { audioUrl, duration, trackId, title, artist } = message;
  return {
    audioUrl,
    duration,
    ...(trackId === undefined ? {} : { trackId }),
    ...(title === undefined ? {} : { title }),
    ...(artist === undefined ? {} : { artist }),
  };
}

/** The anchor in force at `serverMs` (the last one at or before it), or null. */
export function anchorAt(timeline: Timeline, serverMs: number): Anchor | null {
  let found: Anchor | null = null;
  for (const anchor of timeline.anchors) {
    if (anchor.atServerMs <= serverMs) found = anchor;
    else break;
  }
  return found;
}

/** Position of `anchor`'s track at `serverMs` (clamped to [0, duration]). */
export function positionFromAnchor(anchor: Anchor, serverMs: number): number {
  const raw = anchor.paused ? anchor.positionMs : anchor.positionMs + (serverMs - anchor.atServerMs);
  return Math.min(anchor.track.duration, Math.max(0, raw));
}

/**
 * The state at server instant `serverMs`. Before the first anchor takes effect, the track waits
 * (paused) at the first anchor's position: a joiner sees what is about to play.
 */
export function stateAt(timeline: Timeline, serverMs: number): TimelineState | null {
  const anchor = anchorAt(timeline, serverMs) ?? null;
  if (!anchor) {
    const first = timeline.anchors[0];
    if (!first) return null;
    return { track: first.track, positionMs: first.positionMs, paused: true, ended: false, anchor: first };
  }
  const positionMs = positionFromAnchor(anchor, serverMs);
  return { track: anchor.track, positionMs, paused: anchor.paused, ended: positionMs >= anchor.track.duration, anchor };
}

/**
 * Inserts `anchor`: the server's newest word replaces any anchor at or after its instant (e.g. a
 * PAUSE that lands before a scheduled PLAY started).
 */
function withAnchor(timeline: Timeline, anchor: Anchor): Timeline {
  const kept = timeline.anchors.filter((a) => a.atServerMs < anchor.atServerMs);
  return { anchors: [...kept, anchor], version: timeline.version + 1 };
}

/** Drops anchors superseded before `serverMs` (keeps the one in force); `version` is unchanged. */
export function pruneTimeline(timeline: Timeline, serverMs: number): Timeline {
  let inForce = -1;
  timeline.anchors.forEach((a, i) => {
    if (a.atServerMs <= serverMs) inForce = i;
  });
  return inForce <= 0 ? timeline : { anchors: timeline.anchors.slice(inForce), version: timeline.version };
}

/** The track of the most recent message (the room's current track as the server knows it). */
function latestTrack(timeline: Timeline): TrackInfo | null {
  return timeline.anchors[timeline.anchors.length - 1]?.track ?? null;
}

/** Applies one server message; returns the same timeline when nothing changes. */
export function applyTimelineMessage(timeline: Timeline, message: TimelineMessage): Timeline {
  switch (message.type) {
    case "PLAY_SYNC": {
      const anchor = { atServerMs: message.atServerMs, positionMs: message.positionMs, paused: message.isPaused, track: trackOf(message) };
      return { anchors: [anchor], version: timeline.version + 1 };
    }
    case "PLAY":
      return withAnchor(timeline, { atServerMs: message.startServerMs, positionMs: message.positionMs, paused: false, track: trackOf(message) });
    case "TRACK_CHANGE":
      return withAnchor(timeline, { atServerMs: message.startServerMs, positionMs: 0, paused: false, track: trackOf(message.trackData) });
    case "PAUSE":
    case "RESUME":
    case "SEEK": {
      const track = latestTrack(timeline);
      if (!track) return timeline;
      const anchor: Anchor =
        message.type === "PAUSE"
          ? { atServerMs: message.atServerMs, positionMs: message.positionMs, paused: true, track }
          : message.type === "RESUME"
            ? { atServerMs: message.startServerMs, positionMs: message.positionMs, paused: false, track }
            : { atServerMs: message.atServerMs, positionMs: message.seekPositionMs, paused: message.isPaused, track };
      return withAnchor(timeline, anchor);
    }
    case "RESYNC": {
      const current = anchorAt(timeline, message.atServerMs);
      if (!current) return timeline;
      // Already in agreement (to a microsecond): keep the anchor so the audio is not disturbed.
      if (Math.abs(positionFromAnchor(current, message.atServerMs) - message.correctPosMs) < 1e-3) return timeline;
      return withAnchor(timeline, { ...current, atServerMs: message.atServerMs, positionMs: message.correctPosMs });
    }
  }
}

/** Server instants at which the timeline changes after `serverMs` (future anchors). */
export function upcomingChanges(timeline: Timeline, serverMs: number): readonly Anchor[] {
  return timeline.anchors.filter((a) => a.atServerMs > serverMs);
}
