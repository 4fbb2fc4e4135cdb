import type { QueueState } from "@sync-beats/protocol";

/**
 * The URL to fetch and decode ahead of time: the head of the room's queue, which the server will
 * start at the current track's end instant (it announces the advance only a few seconds before,
 * too late to download a track on a slow link). Null when nothing is queued.
 */
export function nextToPrefetch(queue: QueueState): string | null {
  return queue.items[0]?.track.audioUrl ?? null;
}
