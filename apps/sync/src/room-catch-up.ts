import type { ServerMessage } from "@sync-beats/protocol";
import { joinMessages } from "@sync-beats/timeline";
import type { SharedRoomState } from "./backplane.js";
import { queueMessage } from "./queue-transitions.js";
import { publicFacts } from "./room-transitions.js";

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What a member who missed the broadcasts between `before` (the state its node held) and `after`
 * (the stored state, read at `nowMs`) must be told [RC8]: each part that changed, as a joiner
 * would be told it — the timeline as PLAY_SYNC plus the commands still pending, the queue, the
 * host, the room's facts. Nothing when `after` is not newer.
 */
export function catchUpMessages(before: SharedRoomState, after: SharedRoomState, nowMs: number): ServerMessage[] {
  if (after.version <= before.version) return [];
  const messages: ServerMessage[] = [];
  if (after.hostUserId !== null && after.hostUserId !== before.hostUserId) messages.push({ type: "host_changed", hostId: after.hostUserId });
  if (after.facts && !same(after.facts, before.facts)) messages.push({ type: "room_updated", room: publicFacts(after.facts) });
  if (!same(after.timeline, before.timeline)) messages.push(...joinMessages(after.timeline, nowMs));
  if (after.queue.version !== before.queue.version) messages.push(queueMessage(after.queue));
  return messages;
}
