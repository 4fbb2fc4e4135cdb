import { CloseCode, type ControlMessage, EMPTY_QUEUE, type RoomFacts, type ServerMessage, type VersionedRoomFacts } from "@sync-beats/protocol";
import type { PresenceEntry, SharedRoomState, Transition } from "./backplane.js";
import { refuseRemoved } from "./chat-rules.js";
import { ProtocolError } from "./errors.js";
import type { Identity } from "./identity.js";
import { applyCommand, EMPTY_TIMELINE } from "@sync-beats/timeline";

/**
 * Pure state transitions of a room, run inside the backplane's atomic update so that two hosts
 * on two nodes cannot overwrite each other.
 */

/** Whether the owner deleted the room and `facts` are no newer than the deletion. */
export function isClosedFor(state: SharedRoomState, facts: VersionedRoomFacts | null): boolean {
  return state.closedAtVersion !== null && (facts === null || facts.version <= state.closedAtVersion);
}

/** The facts the room follows after seeing `offered`: the newer copy wins [RA2]. */
function newerFacts(current: VersionedRoomFacts | null, offered: VersionedRoomFacts | null): VersionedRoomFacts | null {
  if (!offered) return current;
  return !current || offered.version > current.version ? offered : current;
}

/** The facts as clients see them (without the version, which only orders copies). */
export function publicFacts(facts: VersionedRoomFacts | null): RoomFacts {
  if (!facts) return { name: null, ownerId: null, listenersCanControl: false };
  const { version: _version, ...shown } = facts;
  return shown;
}

/**
 * A join: the ticket's copy of the room's facts is adopted when newer [RA2]; the joiner becomes
 * host when the room has none, or its host is not in the room, and the joiner is the owner (or,
 * dev identity, anyone) [RA3]. A join of a deleted room is refused [RA7]. `presence` includes the
 * joiner; whoever else is there must hear what changed.
 */
export function admit(identity: Identity, firstJoinerHosts: boolean, presence: PresenceEntry[]): Transition {
  return (state) => {
    if (isClosedFor(state, identity.room)) throw new ProtocolError("ROOM_CLOSED", "this room was deleted", CloseCode.ROOM_CLOSED);
    refuseRemoved(identity.userId, state);
    const facts = newerFacts(state.facts, identity.room);
    const othersPresent = presence.some((entry) => entry.userId !== identity.userId);
    const hostAbsent = state.hostUserId === null || !presence.some((entry) => entry.userId === state.hostUserId);
    const becomesHost = hostAbsent && state.hostUserId !== identity.userId && (identity.userId === facts?.ownerId || (firstJoinerHosts && state.hostUserId === null));
    if (facts === state.facts && !becomesHost) return null;
    const messages: ServerMessage[] = [];
    if (othersPresent && facts !== state.facts) messages.push({ type: "room_updated", room: publicFacts(facts) });
    if (othersPresent && becomesHost) messages.push({ type: "host_changed", hostId: identity.userId });
    return { state: { ...state, facts, hostUserId: becomesHost ? identity.userId : state.hostUserId }, messages };
  };
}

/**
 * After the grace period: unless the host came back, the owner takes over when present, else the
 * longest-connected member [RA4].
 */
export function promoteSuccessor(presence: PresenceEntry[]): Transition {
  return (state) => {
    if (presence.some((entry) => entry.userId === state.hostUserId)) return null;
    const successor = presence.find((entry) => entry.userId === state.facts?.ownerId) ?? presence[0];
    if (!successor) return null;
    return {
      state: { ...state, hostUserId: successor.userId },
      messages: [{ type: "host_changed", hostId: successor.userId }],
    };
  };
}

/** The API's newer copy of the room's facts (renamed, listener control switched) [RA1]. */
export function adoptFacts(offered: VersionedRoomFacts): Transition {
  return (state) => {
    const facts = newerFacts(state.facts, offered);
    if (facts === state.facts) return null;
    return { state: { ...state, facts }, messages: [{ type: "room_updated", room: publicFacts(facts) }] };
  };
}

/**
 * Hands playback control to `toUserId`, asked through the API by `byUserId`: the owner or the
 * host may, and only to someone in the room now [RA5]. The old host's next command is refused.
 */
export function transferHost(byUserId: string, toUserId: string, presence: PresenceEntry[]): Transition {
  return (state) => {
    if (byUserId !== state.facts?.ownerId && byUserId !== state.hostUserId) {
      throw new ProtocolError("NOT_HOST", "only the room's owner or its host may hand over hosting");
    }
    if (!presence.some((entry) => entry.userId === toUserId)) throw new ProtocolError("NOT_PARTICIPANT", "the new host must be in the room");
    if (state.hostUserId === toUserId) return null;
    return { state: { ...state, hostUserId: toUserId }, messages: [{ type: "host_changed", hostId: toUserId }] };
  };
}

/** The owner deleted the room (at facts version `version`): everyone is told and sent away [RA7]. */
export function closeRoom(version: number): Transition {
  return (state) => {
    if (state.closedAtVersion !== null && state.closedAtVersion >= version) return null;
    return {
      state: { ...state, hostUserId: null, timeline: EMPTY_TIMELINE, facts: null, closedAtVersion: version, queue: EMPTY_QUEUE },
      messages: [{ type: "room_closed", reason: "the owner deleted this room" }],
    };
  };
}

/** May `userId` control playback in `state`: the host always, listeners when the room lets them [RA6]. */
function mayControl(userId: string, state: SharedRoomState): boolean {
  return userId === state.hostUserId || (state.facts?.listenersCanControl ?? false);
}

/**
 * A host command aimed at now + `leadMs`. Everything announced carries the server instant
 * it takes effect, so every client applies it at the same moment; `onEffect` hears that instant
 * (for the sender's `command_accepted`) from the run that committed.
 */
export function applyControl(
  identity: Identity,
  command: ControlMessage,
  now: () => number,
  leadMs: number,
  onEffect: (atServerMs: number) => void,
): Transition {
  return (state) => {
    // Read the clock here, not when the command arrived: with Redis the transition may run after
    // waiting for other commits, and a start instant already past would make every client jump.
    const nowMs = now();
    const aimAt = nowMs + leadMs;
    if (!mayControl(identity.userId, state)) {
      throw new ProtocolError("NOT_HOST", `only the host may send ${command.type}`);
    }
    const result = applyCommand(state.timeline, command, nowMs, aimAt);
    if (!result) throw new ProtocolError("NO_TRACK", "no track is loaded in this room");
    onEffect(result.atServerMs);
    return { state: { ...state, timeline: result.timeline }, messages: [result.message] };
  };
}
