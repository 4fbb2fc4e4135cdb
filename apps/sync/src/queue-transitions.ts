import type { QueueItem, QueueMessage, QueueState, ServerMessage } from "@sync-beats/protocol";
import { applyCommand, type Timeline } from "@sync-beats/timeline";
import type { SharedRoomState, Transition } from "./backplane.js";
import { ProtocolError } from "./errors.js";
import type { Identity } from "./identity.js";
import { endOfTimeline, LATE_ADVANCE_GRACE_MS } from "./queue-advance.js";
import { appendItem, findItem, mayAdd, mayDirect, mayEdit, moveItem, removeAt, withItems } from "./queue-rules.js";

/**
 * The queue's state transitions (SPEC Q1–Q11), run inside the backplane's compare-and-set like
 * every other change of a room. Each change announces the whole queue.
 */

/** The broadcast of `queue` [Q1]. */
export function queueMessage(queue: QueueState): ServerMessage {
  return { type: "queue", ...queue };
}

function changed(state: SharedRoomState, queue: QueueState, extra: ServerMessage[] = []): ReturnType<Transition> {
  return { state: { ...state, queue }, messages: [...extra, queueMessage(queue)] };
}

/** Starts `item` at `startMs` (a track change), leaving the queue as `queue` with `item` now playing. */
function startItem(state: SharedRoomState, queue: QueueState, item: QueueItem, nowMs: number, startMs: number): ReturnType<Transition> {
  const result = applyCommand(state.timeline, { type: "TRACK_CHANGE", id: "queue", trackData: item.track }, nowMs, startMs)!;
  // A pending advance this start replaces goes back to the head of the queue [Q11].
  const followed = followTimeline(queue, result.timeline, nowMs);
  const nowPlaying = { ...item, startServerMs: result.atServerMs };
  const next: QueueState = { ...followed, version: Math.max(followed.version, queue.version + 1), nowPlaying, endedAtServerMs: null };
  return { state: { ...state, timeline: result.timeline, queue: next }, messages: [result.message, queueMessage(next)] };
}

/** What a queue command needs besides the room's state: the clock, the lead, and the resolved track of an add. */
export interface QueueCommandContext {
  now(): number;
  leadMs: number;
  /** For `queue_add`: the track its grant vouched for, and the id the new item gets. */
  added?: { track: QueueItem["track"]; itemId: string };
  /** Hears the instant the command takes effect (the sender's `command_accepted`). */
  onEffect(atServerMs: number): void;
}

/** The transition of one queue command from `identity` [Q3–Q7]. */
export function applyQueueCommand(identity: Identity, command: QueueMessage, context: QueueCommandContext): Transition {
  return (state) => {
    const nowMs = context.now();
    context.onEffect(nowMs);
    const { queue } = state;
    switch (command.type) {
      case "queue_add": {
        if (!mayAdd(identity.userId, state)) throw new ProtocolError("NOT_ALLOWED", "only the host may add to this room's queue");
        if (!context.added) throw new ProtocolError("UNKNOWN_TRACK", "no such track");
        const item: QueueItem = { id: context.added.itemId, track: context.added.track, addedBy: { userId: identity.userId, name: identity.name } };
        return changed(state, appendItem(queue, item));
      }
      case "queue_remove": {
        const { item, index } = findItem(queue, command.itemId);
        if (!mayEdit(identity.userId, item, state)) throw new ProtocolError("NOT_ALLOWED", "only the host or whoever added it may remove this item");
        return changed(state, removeAt(queue, index));
      }
      case "queue_move": {
        const { item } = findItem(queue, command.itemId);
        if (!mayEdit(identity.userId, item, state)) throw new ProtocolError("NOT_ALLOWED", "only the host or whoever added it may move this item");
        const moved = moveItem(queue, command.itemId, command.fromIndex, command.toIndex);
        return moved === queue ? null : changed(state, moved);
      }
      case "queue_play_next": {
        if (!mayDirect(identity.userId, state)) throw new ProtocolError("NOT_ALLOWED", "only the host may choose what plays next");
        const { index } = findItem(queue, command.itemId);
        return index === 0 ? null : changed(state, moveItem(queue, command.itemId, index, 0));
      }
      case "queue_play_now": {
        if (!mayDirect(identity.userId, state)) throw new ProtocolError("NOT_ALLOWED", "only the host may start a queued track now");
        const { item, index } = findItem(queue, command.itemId);
        const startMs = nowMs + context.leadMs;
        context.onEffect(startMs);
        return startItem(state, removeAt(queue, index), item, nowMs, startMs);
      }
    }
  };
}

/**
 * The room reached `endMs` (seen `lookahead` ahead): the head item starts at that very instant,
 * so its first sample follows the last sample of the track before on every device [Q8]; or, when
 * the node is late, at the earliest instant members can still reach. Null when the room no longer
 * ends at `endMs` (paused, sought, or another node advanced it first: exactly once [Q9]).
 */
export function advanceQueue(endMs: number, now: () => number, leadMs: number): Transition {
  return (state) => {
    const [next] = state.queue.items;
    if (!next || endOfTimeline(state.timeline) !== endMs) return null;
    const nowMs = now();
    return startItem(state, removeAt(state.queue, 0), next, nowMs, Math.max(endMs, nowMs + leadMs));
  };
}

/**
 * The last track ended at `endMs` with nothing queued (or too long ago to follow): the room stops
 * there and says so, once [Q10]. Null when an item was queued in time meanwhile: it advances instead.
 */
export function stopAtEnd(endMs: number, now: () => number): Transition {
  return (state) => {
    if (state.queue.items.length > 0 && endMs >= now() - LATE_ADVANCE_GRACE_MS) return null;
    if (state.queue.nowPlaying === null || endOfTimeline(state.timeline) !== endMs || state.queue.endedAtServerMs === endMs) return null;
    return changed(state, { ...state.queue, version: state.queue.version + 1, nowPlaying: null, endedAtServerMs: endMs });
  };
}

/**
 * The queue after a playback command moved `timeline` at `nowMs` [Q11]: the room no longer
 * stopped; an advance still pending that the command replaced goes back to the head of the queue;
 * a queue item no longer playing (another track was picked) is no longer "now playing".
 */
export function followTimeline(queue: QueueState, timeline: Timeline, nowMs: number): QueueState {
  const playing = queue.nowPlaying;
  let next: QueueState = queue.endedAtServerMs === null ? queue : { ...queue, endedAtServerMs: null };
  if (playing) {
    const last = timeline.anchors[timeline.anchors.length - 1];
    const pending = playing.startServerMs > nowMs;
    const stillThere = pending
      ? timeline.anchors.some((anchor) => anchor.atServerMs === playing.startServerMs && anchor.track.trackId === playing.track.trackId)
      : last?.track.trackId === playing.track.trackId && last.track.audioUrl === playing.track.audioUrl;
    if (!stillThere) {
      const { startServerMs: _startServerMs, ...item } = playing;
      next = { ...next, nowPlaying: null };
      if (pending) next = withItems(next, [item, ...next.items]);
    }
  }
  return next === queue ? queue : { ...next, version: Math.max(next.version, queue.version + 1) };
}

/** `transition` (a playback command), followed by what it means for the queue [Q11]. */
export function withQueueFollowing(transition: Transition, now: () => number): Transition {
  return (state) => {
    const result = transition(state);
    if (!result) return result;
    const queue = followTimeline(result.state.queue, result.state.timeline, now());
    return queue === result.state.queue ? result : { state: { ...result.state, queue }, messages: [...result.messages, queueMessage(queue)] };
  };
}
