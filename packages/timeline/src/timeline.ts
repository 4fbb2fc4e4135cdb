import type { TrackInfo } from "@sync-beats/protocol";

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
 * A room's playback timeline: anchors in strictly increasing `atServerMs`. Commands take effect at
 * a future server instant, so several may be pending at once; keeping every anchor that can still
 * answer a query makes the position exact at every instant, including between a command's arrival
 * and its effect. `version` grows with every change (cheap change detection; pruning keeps it).
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
  /** The anchor in force (before the first anchor's instant: the first anchor). */
  readonly anchor: Anchor;
}

/** The timeline of a room where nothing was ever played. */
export const EMPTY_TIMELINE: Timeline = { anchors: [], version: 0 };

/**
 * How far back a server keeps positions exact. Clients report drift for instants a network delay
 * in the past, so anchors that ended shortly before now must still answer.
 */
export const HISTORY_MS = 5_000;

/** The anchor in force at `serverMs` (the last one at or before it), or null before the first. */
export function anchorAt(timeline: Timeline, serverMs: number): Anchor | null {
  let found: Anchor | null = null;
  for (const anchor of timeline.anchors) {
    if (anchor.atServerMs > serverMs) break;
    found = anchor;
  }
  return found;
}

/** Position of `anchor`'s track at `serverMs`, clamped to `[0, duration]`. */
export function positionFromAnchor(anchor: Anchor, serverMs: number): number {
  const raw = anchor.paused ? anchor.positionMs : anchor.positionMs + (serverMs - anchor.atServerMs);
  return Math.min(anchor.track.duration, Math.max(0, raw));
}

/**
 * The state at `serverMs`, or null when nothing was ever played. Before the first anchor takes
 * effect the track waits, paused, at the first anchor's position: what is about to play.
 */
export function stateAt(timeline: Timeline, serverMs: number): TimelineState | null {
  const anchor = anchorAt(timeline, serverMs);
  if (!anchor) {
    const first = timeline.anchors[0];
    if (!first) return null;
    return { track: first.track, positionMs: first.positionMs, paused: true, ended: false, anchor: first };
  }
  const positionMs = positionFromAnchor(anchor, serverMs);
  return { track: anchor.track, positionMs, paused: anchor.paused, ended: positionMs >= anchor.track.duration, anchor };
}

/** Track position at `serverMs` (clamped to `[0, duration]`), or null when nothing was ever played. */
export function positionAt(timeline: Timeline, serverMs: number): number | null {
  return stateAt(timeline, serverMs)?.positionMs ?? null;
}

/** Paused part-way, or playing and not yet at the end: something a listener should hear or load. */
export function isTrackActive(state: TimelineState | null): boolean {
  return state !== null && (state.paused || !state.ended);
}

/** Anchors still to take effect after `serverMs`: commands announced but not yet in force. */
export function upcomingAnchors(timeline: Timeline, serverMs: number): readonly Anchor[] {
  return timeline.anchors.filter((anchor) => anchor.atServerMs > serverMs);
}

/**
 * Adds `anchor`. A command (`supersedes`) replaces every anchor at or after its instant: the
 * server's newest word wins (e.g. a PAUSE that lands before a scheduled PLAY started). A
 * correction replaces only an anchor at its very instant and keeps the commands still pending.
 */
export function withAnchor(timeline: Timeline, anchor: Anchor, supersedes: boolean): Timeline {
  const before = timeline.anchors.filter((a) => a.atServerMs < anchor.atServerMs);
  const after = supersedes ? [] : timeline.anchors.filter((a) => a.atServerMs > anchor.atServerMs);
  return { anchors: [...before, anchor, ...after], version: timeline.version + 1 };
}

/**
 * Drops the anchors no query at or after `horizonMs` can reach (keeps the one in force then and
 * every later one); `version` is unchanged, since no answer from `horizonMs` on changes.
 */
export function pruneTimeline(timeline: Timeline, horizonMs: number): Timeline {
  let inForce = -1;
  timeline.anchors.forEach((anchor, index) => {
    if (anchor.atServerMs <= horizonMs) inForce = index;
  });
  return inForce <= 0 ? timeline : { anchors: timeline.anchors.slice(inForce), version: timeline.version };
}
