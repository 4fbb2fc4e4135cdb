import type { Timeline } from "@sync-beats/timeline";
import type { SharedRoomState } from "./backplane.js";

/**
 * When the room must act on its queue by itself (SPEC Q8–Q10): the server instant the current
 * track reaches its end, and what happens then. Pure: the room's timer only sequences it.
 */

/** A track that ended longer ago than this is not followed by the queue when a node notices late. */
export const LATE_ADVANCE_GRACE_MS = 10_000;

/**
 * The server instant the timeline's last anchor plays to the end of its track, or null when it
 * holds (paused) or nothing was ever played. No later anchor exists by construction, so this is
 * the instant the room falls silent unless something is queued.
 */
export function endOfTimeline(timeline: Timeline): number | null {
  const last = timeline.anchors[timeline.anchors.length - 1];
  if (!last || last.paused) return null;
  return last.atServerMs + (last.track.duration - last.positionMs);
}

/** The next queue action: advance to the head item, or announce the stop, at `fireAtMs`. */
export interface QueuePlan {
  readonly kind: "advance" | "stop";
  /** The end instant the action is for (the transition checks the room still ends there). */
  readonly endMs: number;
  /** When this node should run it: `lookaheadMs` before the end for an advance, at the end for a stop. */
  readonly fireAtMs: number;
}

/**
 * What the room will do at the end of its current track, seen at `nowMs`: with items queued,
 * advance `lookaheadMs` ahead of the end so every member hears of the next track and can schedule
 * its first sample at the end instant [Q8]; with none (or a track that ended too long ago to
 * follow), announce at the end, once, that the queue ran out [Q10] when the track ending was a
 * queue item. Null when nothing is to be done.
 */
export function planQueue(state: SharedRoomState, nowMs: number, lookaheadMs: number): QueuePlan | null {
  const endMs = endOfTimeline(state.timeline);
  if (endMs === null) return null;
  if (state.queue.items.length > 0 && endMs >= nowMs - LATE_ADVANCE_GRACE_MS) {
    return { kind: "advance", endMs, fireAtMs: Math.max(nowMs, endMs - lookaheadMs) };
  }
  // Only a track the queue started ends the queue; a track picked from the library just ends.
  if (state.queue.nowPlaying === null || state.queue.endedAtServerMs === endMs) return null;
  return { kind: "stop", endMs, fireAtMs: Math.max(nowMs, endMs) };
}
