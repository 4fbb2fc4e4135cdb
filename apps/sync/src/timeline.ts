import type { TrackInfo } from "@sync-beats/protocol";

/**
 * From `anchorServerMs` on, the track is at `anchorPositionMs` and advances in real time when
 * `playing` (or holds still when paused).
 */
export interface Segment {
  readonly anchorServerMs: number;
  readonly anchorPositionMs: number;
  readonly playing: boolean;
}

/**
 * The server-authoritative playback timeline of one room: segments in effect order. Commands take
 * effect at a future server instant, so several may be pending at once; keeping every segment that
 * could still answer a query makes the position exact at every instant, including between a
 * command's arrival and its effect.
 */
export interface Timeline {
  readonly track: TrackInfo;
  /** Non-empty, sorted by `anchorServerMs`. */
  readonly segments: readonly Segment[];
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function segmentAt(timeline: Timeline, serverMs: number): Segment {
  const { segments } = timeline;
  for (let index = segments.length - 1; index > 0; index--) {
    const segment = segments[index]!;
    if (segment.anchorServerMs <= serverMs) return segment;
  }
  return segments[0]!;
}

/** Track position at `serverMs`, clamped to `[0, duration]`. */
export function positionAt(timeline: Timeline, serverMs: number): number {
  const segment = segmentAt(timeline, serverMs);
  const elapsed = segment.playing ? serverMs - segment.anchorServerMs : 0;
  return clamp(segment.anchorPositionMs + elapsed, 0, timeline.track.duration);
}

/** Whether the timeline holds still at `serverMs` (a pending pause counts from its instant). */
export function isPausedAt(timeline: Timeline, serverMs: number): boolean {
  return !segmentAt(timeline, serverMs).playing;
}

/** Paused part-way or playing and not yet at the end: something a late joiner should load. */
export function isTrackActive(timeline: Timeline | null, serverMs: number): boolean {
  if (!timeline) return false;
  return isPausedAt(timeline, serverMs) || positionAt(timeline, serverMs) < timeline.track.duration;
}

/**
 * Segments still to take effect after `serverMs` (commands already announced, not yet in force),
 * the last one per instant: what a client joining now must be told besides the state at now.
 */
export function pendingSegments(timeline: Timeline, serverMs: number): Segment[] {
  const pending = timeline.segments.filter((segment) => segment.anchorServerMs > serverMs);
  return pending.filter((segment, index) => pending[index + 1]?.anchorServerMs !== segment.anchorServerMs);
}

/** The instant a command aimed at `atServerMs` takes effect: never before one already pending, so commands apply in arrival order. */
export function effectiveInstant(timeline: Timeline | null, atServerMs: number): number {
  if (!timeline) return atServerMs;
  const last = timeline.segments[timeline.segments.length - 1]!;
  return Math.max(atServerMs, last.anchorServerMs);
}

/** Starts `track` at `positionMs`, heard at `atServerMs`; until then the room holds at that position. */
export function startTrack(track: TrackInfo, positionMs: number, atServerMs: number): Timeline {
  const anchorPositionMs = clamp(positionMs, 0, track.duration);
  return {
    track,
    segments: [
      { anchorServerMs: atServerMs, anchorPositionMs, playing: false },
      { anchorServerMs: atServerMs, anchorPositionMs, playing: true },
    ],
  };
}

/**
 * How far back positions stay exact. Clients report drift for instants a network delay in the
 * past, so segments that ended shortly before now must still answer.
 */
export const HISTORY_MS = 5_000;

/**
 * Appends a segment at `atServerMs` and drops the ones no query at or after `nowMs - HISTORY_MS`
 * can reach.
 */
function append(timeline: Timeline, nowMs: number, atServerMs: number, positionMs: number, playing: boolean): Timeline {
  const segment: Segment = {
    anchorServerMs: atServerMs,
    anchorPositionMs: clamp(positionMs, 0, timeline.track.duration),
    playing,
  };
  const segments = [...timeline.segments, segment];
  let firstKept = 0;
  const horizon = nowMs - HISTORY_MS;
  while (firstKept < segments.length - 1 && segments[firstKept + 1]!.anchorServerMs <= horizon) firstKept++;
  return { track: timeline.track, segments: segments.slice(firstKept) };
}

export function pause(timeline: Timeline, nowMs: number, atServerMs: number): Timeline {
  const at = effectiveInstant(timeline, atServerMs);
  return append(timeline, nowMs, at, positionAt(timeline, at), false);
}

export function resume(timeline: Timeline, nowMs: number, atServerMs: number): Timeline {
  const at = effectiveInstant(timeline, atServerMs);
  return append(timeline, nowMs, at, positionAt(timeline, at), true);
}

/** Jumps to `positionMs` at `atServerMs`, keeping the play/pause state in force at that instant. */
export function seek(timeline: Timeline, nowMs: number, positionMs: number, atServerMs: number): Timeline {
  const at = effectiveInstant(timeline, atServerMs);
  return append(timeline, nowMs, at, positionMs, !isPausedAt(timeline, at));
}
