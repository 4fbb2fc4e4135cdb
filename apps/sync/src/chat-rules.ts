import { CloseCode } from "@sync-beats/protocol";
import type { SharedRoomState, Transition } from "./backplane.js";
import { ProtocolError } from "./errors.js";

/**
 * The pure rules of chat, reactions and moderation (SPEC CH*): who may do what, the rate limits,
 * and the removal transition run through the backplane's compare-and-set.
 */

/** Per member: 5 chat messages at once, then one every 2 s (5 per 10 s) [CH7]. */
export const CHAT_RATE = { perSecond: 0.5, burst: 5 } as const;
/** Per member: 10 reactions at once, then two a second (10 per 5 s) [CH2]. */
export const REACTION_RATE = { perSecond: 2, burst: 10 } as const;
/** A room remembers at most this many removed users; past it, removals are refused [CH8]. */
export const MAX_REMOVED_USERS = 500;

/** Is `userId` the room's owner (by the room facts; a dev-identity room has no owner) [CH6]. */
export function isOwner(userId: string, state: SharedRoomState): boolean {
  return state.facts?.ownerId != null && state.facts.ownerId === userId;
}

/** Is `userId` removed from the room [CH9]. */
export function isRemoved(userId: string, state: SharedRoomState): boolean {
  return state.removedUserIds.includes(userId);
}

/** Refuses a join of a user the owner removed: closes with {@link CloseCode.REMOVED} [CH9]. */
export function refuseRemoved(userId: string, state: SharedRoomState): void {
  if (isRemoved(userId, state)) throw new ProtocolError("REMOVED", "the room's owner removed you from this room", CloseCode.REMOVED);
}

/** Throws `NOT_OWNER` unless `userId` owns the room [CH6][CH8]. */
export function requireOwner(userId: string, state: SharedRoomState, what: string): void {
  if (!isOwner(userId, state)) throw new ProtocolError("NOT_OWNER", `only the room's owner may ${what}`);
}

/**
 * The owner `byUserId` removes `userId`: remembered in the live state (every node closes that
 * user's sockets when it adopts the state) and a host removed hands hosting to the owner [CH8].
 */
export function removeMember(byUserId: string, userId: string): Transition {
  return (state) => {
    requireOwner(byUserId, state, "remove someone from the room");
    if (userId === byUserId) throw new ProtocolError("INVALID_MESSAGE", "the owner cannot remove themselves");
    if (isRemoved(userId, state)) return null;
    if (state.removedUserIds.length >= MAX_REMOVED_USERS) throw new ProtocolError("RATE_LIMITED", "this room has removed too many people");
    const hostRemoved = state.hostUserId === userId;
    return {
      state: { ...state, removedUserIds: [...state.removedUserIds, userId], hostUserId: hostRemoved ? byUserId : state.hostUserId },
      messages: hostRemoved ? [{ type: "host_changed", hostId: byUserId }] : [],
    };
  };
}

/** Users removed in `next` who were not in `previous`: their sockets on this node must close. */
export function newlyRemoved(previous: SharedRoomState, next: SharedRoomState): ReadonlySet<string> {
  if (next.removedUserIds.length === previous.removedUserIds.length) return new Set();
  const before = new Set(previous.removedUserIds);
  return new Set(next.removedUserIds.filter((userId) => !before.has(userId)));
}
