import { QUEUE_MAX_ITEMS, type QueueItem, type QueueState } from "@sync-beats/protocol";
import type { SharedRoomState } from "./backplane.js";
import { ProtocolError } from "./errors.js";

/**
 * Who may change a room's queue, and how each change reorders it: pure functions of the room's
 * state, run inside the backplane's compare-and-set so that concurrent changes on two nodes apply
 * one after the other to the queue each one sees (SPEC Q3–Q7).
 */

/** Adds: everyone in the room, unless the owner restricted it to the host [Q3]. */
export function mayAdd(userId: string, state: SharedRoomState): boolean {
  return (state.facts?.queueAddPolicy ?? "everyone") === "everyone" || userId === state.hostUserId;
}

/** Removing or moving an item: the host any item, everyone else only what they added [Q5]. */
export function mayEdit(userId: string, item: QueueItem, state: SharedRoomState): boolean {
  return userId === state.hostUserId || item.addedBy.userId === userId;
}

/** "Play next" and "play now" steer the whole room: the host only [Q7]. */
export function mayDirect(userId: string, state: SharedRoomState): boolean {
  return userId === state.hostUserId;
}

/** The queue with `items`, one version on. */
export function withItems(queue: QueueState, items: QueueItem[]): QueueState {
  return { ...queue, items, version: queue.version + 1 };
}

/** Appends `item`, refused past {@link QUEUE_MAX_ITEMS} [Q4]. */
export function appendItem(queue: QueueState, item: QueueItem): QueueState {
  if (queue.items.length >= QUEUE_MAX_ITEMS) throw new ProtocolError("QUEUE_FULL", `the queue holds at most ${QUEUE_MAX_ITEMS} tracks`);
  return withItems(queue, [...queue.items, item]);
}

/** The item with `itemId`, or STALE_QUEUE when the queue no longer has it [Q6]. */
export function findItem(queue: QueueState, itemId: string): { item: QueueItem; index: number } {
  const index = queue.items.findIndex((item) => item.id === itemId);
  if (index < 0) throw new ProtocolError("STALE_QUEUE", "that item is no longer in the queue");
  return { item: queue.items[index]!, index };
}

/** The queue without the item at `index`. */
export function removeAt(queue: QueueState, index: number): QueueState {
  return withItems(queue, queue.items.filter((_, i) => i !== index));
}

/**
 * Moves the item at `fromIndex` to `toIndex`. The sender named both as it saw the queue: when the
 * item is elsewhere now, or `toIndex` is past the end, the move is refused STALE_QUEUE [Q6].
 */
export function moveItem(queue: QueueState, itemId: string, fromIndex: number, toIndex: number): QueueState {
  const { index } = findItem(queue, itemId);
  if (index !== fromIndex) throw new ProtocolError("STALE_QUEUE", "the queue changed: that item moved");
  if (toIndex >= queue.items.length) throw new ProtocolError("STALE_QUEUE", "the queue changed: no such position");
  if (toIndex === fromIndex) return queue;
  const items = queue.items.filter((_, i) => i !== fromIndex);
  items.splice(toIndex, 0, queue.items[fromIndex]!);
  return withItems(queue, items);
}
