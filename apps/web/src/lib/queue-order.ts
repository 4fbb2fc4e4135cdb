import type { QueueItem, QueueState } from "@sync-beats/protocol";
import type { QueueCommandInput } from "@sync-beats/sync-engine";

/**
 * The `queue_move` that takes `itemId` to `toIndex`, naming where this page sees it now (the
 * server refuses it `STALE_QUEUE` when the queue changed meanwhile, rule Q6); null when there is
 * nothing to move (unknown item, same place, or a position past either end).
 */
export function moveCommand(items: readonly QueueItem[], itemId: string, toIndex: number): QueueCommandInput | null {
  const fromIndex = items.findIndex((item) => item.id === itemId);
  if (fromIndex < 0 || toIndex < 0 || toIndex >= items.length || toIndex === fromIndex) return null;
  return { type: "queue_move", itemId, fromIndex, toIndex };
}

/** Whether `userId` may reorder or remove `item`: the host any item, the adder their own (Q5). */
export function mayEditItem(item: QueueItem, userId: string | null, isHost: boolean): boolean {
  return isHost || (userId !== null && item.addedBy.userId === userId);
}

/** Whether `userId` may add to the queue under the room's policy (Q3). */
export function mayAddToQueue(policy: "everyone" | "host" | undefined, isHost: boolean): boolean {
  return (policy ?? "everyone") === "everyone" || isHost;
}

/** What the panel says about the end of the queue: null unless the room stopped because it ran out (Q10). */
export function queueEndedNotice(queue: QueueState | null): string | null {
  return queue?.endedAtServerMs != null && queue.nowPlaying === null && queue.items.length === 0
    ? "The queue ran out, so the room stopped. Add a track and press Play now to go on."
    : null;
}
