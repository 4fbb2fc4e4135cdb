/**
 * What a soak client does to its room's shared queue (issue 18): pure choices from the queue as
 * the client last saw it, so the mix (adds, removes, moves, the host's "play now") is testable
 * without sockets. The server is the judge: a choice made from a stale view is refused
 * `STALE_QUEUE`, which the soak counts like any other command result.
 */
import type { QueueItem, QueueState } from "@sync-beats/protocol";
import type { TrackGrantClaims } from "@sync-beats/ticket";

/** Queued tracks last this long (ms): short, so the room advances through the queue within a soak. */
export const QUEUE_TRACK_MS = [4_000, 8_000] as const;
/** Members add while the queue is shorter than this, and edit it otherwise: it neither drains nor fills up. */
export const QUEUE_TARGET_LENGTH = 6;

export type QueueAction =
  | { type: "queue_add" }
  | { type: "queue_remove"; itemId: string }
  | { type: "queue_move"; itemId: string; fromIndex: number; toIndex: number }
  | { type: "queue_play_now"; itemId: string };

/** The queue as a client sees it, and who the client is. */
export interface QueueView {
  queue: Pick<QueueState, "items" | "nowPlaying">;
  userId: string;
  isHost: boolean;
}

const pick = <T>(values: readonly T[], random: () => number): T => values[Math.min(values.length - 1, Math.floor(random() * values.length))]!;

/**
 * The client's next queue change. The host starts the queue's head when nothing queued plays
 * (so the room plays the queue, and advances at each track's end); below the target length
 * everyone mostly adds; otherwise a member moves or removes an item it may edit (the host any,
 * others their own [Q5]). Null when there is nothing it may do.
 */
export function chooseQueueAction({ queue, userId, isHost }: QueueView, random: () => number): QueueAction | null {
  const { items } = queue;
  if (isHost && queue.nowPlaying === null && items.length > 0) return { type: "queue_play_now", itemId: items[0]!.id };
  const editable = items.flatMap((item, index) => (isHost || item.addedBy.userId === userId ? [{ item, index }] : []));
  const short = items.length < QUEUE_TARGET_LENGTH;
  if (editable.length === 0 || (short && random() < 0.75)) return short ? { type: "queue_add" } : null;
  const { item, index } = pick(editable, random);
  if (items.length > 1 && random() < 0.5) {
    const others = items.map((_, position) => position).filter((position) => position !== index);
    return { type: "queue_move", itemId: item.id, fromIndex: index, toIndex: pick(others, random) };
  }
  return { type: "queue_remove", itemId: item.id };
}

/** The `seq`-th track a room's members queue: its URL names it, its length is in {@link QUEUE_TRACK_MS}. */
export function queueTrack(roomCode: string, seq: number, random: () => number): TrackGrantClaims["track"] {
  const [low, high] = QUEUE_TRACK_MS;
  return { trackId: `${roomCode}-q${seq}`, audioUrl: `/soak/queue/${roomCode}-${seq}.wav`, duration: Math.round(low + random() * (high - low)), title: `queued ${seq}` };
}

/** Whether a track URL is one the soak queued (its TRACK_CHANGE came from the queue, not from the host). */
export function isQueuedTrackUrl(audioUrl: string): boolean {
  return audioUrl.startsWith("/soak/queue/");
}

/** The order of a queue, as item ids: what every member must agree on. */
export function queueOrder(items: readonly QueueItem[]): string {
  return items.map((item) => item.id).join(",");
}
