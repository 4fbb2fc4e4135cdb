import type { ControlMessage, ServerMessageOf } from "@sync-beats/protocol";
import { applyTimelineMessage, type TimelineMessage } from "./messages.js";
import { anchorAt, HISTORY_MS, isTrackActive, pruneTimeline, stateAt, type Timeline, upcomingAnchors } from "./timeline.js";
import { clampToTrack, sameTrack, trackOf } from "./track.js";

/** A command's outcome on the server: the room's next timeline and the broadcast that tells every client. */
export interface CommandResult {
  readonly timeline: Timeline;
  readonly message: TimelineMessage;
  /** The server instant the command takes effect (the one its broadcast carries). */
  readonly atServerMs: number;
}

/**
 * The instant a PAUSE, RESUME or SEEK aimed at `atServerMs` takes effect: never before a command
 * already pending, so commands apply in arrival order. (PLAY and TRACK_CHANGE take effect where
 * aimed and supersede whatever was pending from then on.)
 */
export function effectiveInstant(timeline: Timeline, atServerMs: number): number {
  const last = timeline.anchors[timeline.anchors.length - 1];
  return last ? Math.max(atServerMs, last.atServerMs) : atServerMs;
}

/** The broadcast announcing `command`, aimed at `aimAtMs`; null for a PAUSE, RESUME or SEEK with no track. */
function announce(timeline: Timeline, command: ControlMessage, aimAtMs: number): TimelineMessage | null {
  switch (command.type) {
    case "PLAY": {
      const track = trackOf(command);
      return { type: "PLAY", ...track, startServerMs: aimAtMs, positionMs: clampToTrack(track, command.positionMs ?? 0) };
    }
    case "TRACK_CHANGE":
      return { type: "TRACK_CHANGE", trackData: command.trackData, startServerMs: aimAtMs };
    case "PAUSE":
    case "RESUME":
    case "SEEK": {
      const atServerMs = effectiveInstant(timeline, aimAtMs);
      const state = stateAt(timeline, atServerMs);
      if (!state) return null;
      if (command.type === "PAUSE") return { type: "PAUSE", positionMs: state.positionMs, atServerMs };
      if (command.type === "RESUME") return { type: "RESUME", positionMs: state.positionMs, startServerMs: atServerMs };
      const seekPositionMs = clampToTrack(state.track, command.seekPositionMs);
      return { type: "SEEK", seekPositionMs, atServerMs, isPaused: state.paused };
    }
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled control message ${JSON.stringify(unhandled)}`);
    }
  }
}

/**
 * What a host command means on the server, received at `nowMs` and aimed at `aimAtMs`: the
 * broadcast, and the timeline it leaves, computed by applying that very broadcast as every
 * client will, then dropping what no query from `nowMs - HISTORY_MS` on can reach. Null when
 * the command needs a track and none was ever played.
 */
export function applyCommand(timeline: Timeline, command: ControlMessage, nowMs: number, aimAtMs: number): CommandResult | null {
  const message = announce(timeline, command, aimAtMs);
  if (!message) return null;
  const atServerMs = "startServerMs" in message ? message.startServerMs : message.atServerMs;
  return { timeline: pruneTimeline(applyTimelineMessage(timeline, message), nowMs - HISTORY_MS), message, atServerMs };
}

/**
 * What a client joining at `nowMs` must be told to agree with the room from then on: PLAY_SYNC
 * with the state at `nowMs`, then every command announced but not yet in force (a track change
 * as the PLAY it amounts to, followed by a SEEK when a pause landed on its instant). Before the
 * first PLAY takes effect there is no state yet, only that PLAY: the joiner holds where it
 * starts, as the members do, even if a later PLAY replaces it. Nothing when no track is active
 * and nothing is pending.
 */
export function joinMessages(timeline: Timeline, nowMs: number): TimelineMessage[] {
  const state = stateAt(timeline, nowMs);
  const pending = upcomingAnchors(timeline, nowMs);
  if (!state || (!isTrackActive(state) && pending.length === 0)) return [];
  const started = anchorAt(timeline, nowMs) !== null;
  const messages: TimelineMessage[] = started
    ? [{ type: "PLAY_SYNC", ...state.track, positionMs: state.positionMs, atServerMs: nowMs, isPaused: state.paused }]
    : [];
  let track = started ? state.track : null;
  for (const anchor of pending) {
    const seek: TimelineMessage = { type: "SEEK", seekPositionMs: anchor.positionMs, atServerMs: anchor.atServerMs, isPaused: anchor.paused };
    if (track && sameTrack(anchor.track, track)) messages.push(seek);
    else {
      messages.push({ type: "PLAY", ...anchor.track, startServerMs: anchor.atServerMs, positionMs: anchor.positionMs });
      if (anchor.paused) messages.push(seek);
    }
    track = anchor.track;
  }
  return messages;
}

/**
 * The answer to a `sync_check` received at `nowMs`: a client that rendered `clientPosMs` at
 * server instant `clientTimeMs` while the room played, further off than `thresholdMs`, is told
 * the position at `nowMs`. Null when it is close enough, or when there is nothing to compare
 * (no active track, or paused at that instant).
 */
export function resyncFor(
  timeline: Timeline,
  check: { readonly clientPosMs: number; readonly clientTimeMs: number },
  nowMs: number,
  thresholdMs: number,
): ServerMessageOf<"RESYNC"> | null {
  const current = stateAt(timeline, nowMs);
  const then = stateAt(timeline, check.clientTimeMs);
  if (!current || !isTrackActive(current) || !then || then.paused) return null;
  const driftMs = check.clientPosMs - then.positionMs;
  if (Math.abs(driftMs) <= thresholdMs) return null;
  return { type: "RESYNC", correctPosMs: current.positionMs, atServerMs: nowMs, driftMs };
}
