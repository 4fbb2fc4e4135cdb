import type { Participant } from "@sync-beats/protocol";
import type { PresenceEntry, SharedRoomState } from "./backplane.js";
import type { ClientSocket, OutboundFrame } from "./client-socket.js";
import type { Identity } from "./identity.js";
import type { JoinTiming } from "./lead-sizing.js";

/**
 * Where a member is in joining: `catching-up` while it is told the room's state (frames that
 * arrive meanwhile wait in `held` and follow right after), then `live`.
 */
type MemberPhase = { phase: "catching-up"; held: OutboundFrame[] } | { phase: "live" };

/** One live connection in a room on this node. */
export interface Member {
  /** Unique across nodes (`nodeId:n`). */
  readonly id: string;
  readonly socket: ClientSocket;
  readonly identity: Identity;
  /** Latest round trip the server measured itself (WebSocket ping/pong), used to size lead times. */
  rttMs: number | null;
  /** Scheduling margin and output latency the member declared on join [LS1] (null: none). */
  readonly timing: JoinTiming | null;
  delivery: MemberPhase;
}

/** `{ isGuest: true }` for a guest, nothing otherwise (issue 18). */
export const guestMark = (isGuest: boolean | undefined) => (isGuest ? { isGuest: true } : {});

export function participantsOf(presence: PresenceEntry[], state: SharedRoomState): Participant[] {
  const byUser = new Map<string, Participant>();
  for (const { userId, name, isGuest } of presence) {
    // `isGuest` only when true: absent means false on the wire [G4].
    byUser.set(userId, { userId, name, role: userId === state.hostUserId ? "host" : "listener", isOwner: userId === state.facts?.ownerId, ...guestMark(isGuest) });
  }
  return [...byUser.values()];
}
