import { z } from "zod";
import { CommandId, DisplayName, ServerInstantMs, TrackInfo, UserId } from "./primitives.js";

/**
 * The room's shared queue (SPEC "Shared queue", rules Q1–Q12): what plays after the current
 * track, owned by the sync server's room state. Every change is a v2 command answered by
 * `command_accepted` / `command_refused`; every member then gets the whole queue in a `queue`
 * broadcast.
 */

/** A queue is never longer than this: an add past it is refused with `QUEUE_FULL` [Q4]. */
export const QUEUE_MAX_ITEMS = 500;

/** A queue item's id: made by the server when the item is added, unique within the room. */
export const QueueItemId = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, "invalid queue item id");

/** Who added an item, as the room knew them then. */
export const QueueAdder = z.object({ userId: UserId, name: DisplayName });
export type QueueAdder = z.infer<typeof QueueAdder>;

/**
 * One queued track. `track` is what the server resolved from the adder's track grant (never what
 * a client claimed): id, title, artist, duration and the URL every member fetches.
 */
export const QueueItem = z.object({
  id: QueueItemId,
  track: TrackInfo.extend({ trackId: z.string().min(1).max(64) }),
  addedBy: QueueAdder,
});
export type QueueItem = z.infer<typeof QueueItem>;

/** The queue item the room is playing (or about to start at `startServerMs`) [Q8]. */
export const NowPlayingItem = QueueItem.extend({ startServerMs: ServerInstantMs });
export type NowPlayingItem = z.infer<typeof NowPlayingItem>;

const queueCommand = <T extends string>(type: T) => z.object({ type: z.literal(type), id: CommandId });

/**
 * Append a track. `trackGrant` is the library's signed statement of the track
 * (`Track.queueGrant` in the REST library): the sync server trusts only what it signs [Q2].
 */
export const QueueAddCommand = queueCommand("queue_add").extend({ trackGrant: z.string().min(1).max(2048) });

/** Remove an item: the host any item, the adder their own [Q5]. */
export const QueueRemoveCommand = queueCommand("queue_remove").extend({ itemId: QueueItemId });

/**
 * Move an item from `fromIndex` to `toIndex` (indices of the queue as the sender saw it). When the
 * item is no longer at `fromIndex`, or `toIndex` no longer exists, it is refused `STALE_QUEUE` [Q6].
 */
export const QueueMoveCommand = queueCommand("queue_move").extend({
  itemId: QueueItemId,
  fromIndex: z.number().int().min(0).max(QUEUE_MAX_ITEMS),
  toIndex: z.number().int().min(0).max(QUEUE_MAX_ITEMS),
});

/** Host only: move an item to the head of the queue [Q7]. */
export const QueuePlayNextCommand = queueCommand("queue_play_next").extend({ itemId: QueueItemId });

/** Host only: take an item out of the queue and start it now (a track change at the next lead) [Q7]. */
export const QueuePlayNowCommand = queueCommand("queue_play_now").extend({ itemId: QueueItemId });

/** Every queue command, for the client union. */
export const QUEUE_COMMANDS = [QueueAddCommand, QueueRemoveCommand, QueueMoveCommand, QueuePlayNextCommand, QueuePlayNowCommand] as const;

/** The `type`s of the queue commands. */
export const QUEUE_MESSAGE_TYPES = ["queue_add", "queue_remove", "queue_move", "queue_play_next", "queue_play_now"] as const;
export type QueueMessageType = (typeof QUEUE_MESSAGE_TYPES)[number];

/**
 * The whole queue, after every change and to every joiner [Q1]. `version` grows with each change
 * of the queue; `nowPlaying` is the queue item the room plays (null when it plays a track picked
 * outside the queue, or nothing); `endedAtServerMs` is set when the last track ended with the
 * queue empty: the room stopped there [Q10].
 */
export const QueueBroadcast = z.object({
  type: z.literal("queue"),
  version: z.number().int().min(0),
  items: z.array(QueueItem).max(QUEUE_MAX_ITEMS),
  nowPlaying: NowPlayingItem.nullable(),
  endedAtServerMs: ServerInstantMs.nullable(),
});
export type QueueBroadcast = z.infer<typeof QueueBroadcast>;

/** The queue part of a room's live state: the {@link QueueBroadcast} without its `type`. */
export type QueueState = Omit<QueueBroadcast, "type">;

/** The queue of a room where nothing was ever queued. */
export const EMPTY_QUEUE: QueueState = { version: 0, items: [], nowPlaying: null, endedAtServerMs: null };
