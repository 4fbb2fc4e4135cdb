import type { ControlMessage, ServerMessage } from "@sync-beats/protocol";
import type { PresenceEntry, SharedRoomState, Transition } from "./backplane.js";
import { ProtocolError } from "./errors.js";
import type { Identity } from "./identity.js";
import { applyCommand } from "@sync-beats/timeline";

/**
 * Pure state transitions of a room, run inside the backplane's atomic update so that two hosts
 * on two nodes cannot overwrite each other.
 */

/**
 * The joiner becomes host when its ticket says so, or (dev identity) when the room has none.
 * `othersPresent`: someone is already in the room and must hear who the host is now.
 */
export function hostOnJoin(identity: Identity, firstJoinerHosts: boolean, othersPresent: boolean): Transition {
  return (state) => {
    const becomesHost = identity.claimsHost || (state.hostUserId === null && firstJoinerHosts);
    if (!becomesHost || state.hostUserId === identity.userId) return null;
    // Announced even when the room had no host, if guests are there to learn who it is.
    const announce = state.hostUserId !== null || othersPresent;
    const messages: ServerMessage[] = announce ? [{ type: "host_changed", hostId: identity.userId }] : [];
    return { state: { ...state, hostUserId: identity.userId }, messages };
  };
}

/** After the grace period: the longest-connected client takes over unless the host came back. */
export function promoteSuccessor(presence: PresenceEntry[]): Transition {
  return (state) => {
    if (presence.some((entry) => entry.userId === state.hostUserId)) return null;
    const successor = presence[0];
    if (!successor) return null;
    return {
      state: { ...state, hostUserId: successor.userId },
      messages: [{ type: "host_changed", hostId: successor.userId }],
    };
  };
}

/** Whether the host lets guests control (states written before the setting existed: yes). */
export function guestsCanControl(state: SharedRoomState): boolean {
  return state.guestsCanControl ?? true;
}

/** May `identity` control playback in `state`: the host always, a guest when its ticket and the host allow it. */
function mayControl(identity: Identity, state: SharedRoomState): boolean {
  return identity.userId === state.hostUserId || (identity.canControl && guestsCanControl(state));
}

/**
 * Host only: allows or revokes control by guests (who also need a ticket that grants it). Only the
 * room's owner (host by ticket) may allow it again: a guest promoted to host may only revoke.
 */
export function applyRoomSettings(identity: Identity, allowed: boolean): Transition {
  return (state) => {
    if (identity.userId !== state.hostUserId) throw new ProtocolError("NOT_HOST", "only the host may change room settings");
    if (allowed && !identity.claimsHost) throw new ProtocolError("NOT_HOST", "only the room's owner may let guests control");
    if (guestsCanControl(state) === allowed) return null;
    return { state: { ...state, guestsCanControl: allowed }, messages: [{ type: "room_settings", guestsCanControl: allowed }] };
  };
}

/**
 * A host command aimed at now + `leadMs`. Everything announced carries the server instant
 * it takes effect, so every client applies it at the same moment.
 */
export function applyControl(identity: Identity, command: ControlMessage, now: () => number, leadMs: number): Transition {
  return (state) => {
    // Read the clock here, not when the command arrived: with Redis the transition may run after
    // waiting for other commits, and a start instant already past would make every client jump.
    const nowMs = now();
    const aimAt = nowMs + leadMs;
    if (!mayControl(identity, state)) {
      throw new ProtocolError("NOT_HOST", `only the host may send ${command.type}`);
    }
    const result = applyCommand(state.timeline, command, nowMs, aimAt);
    if (!result) throw new ProtocolError("NO_TRACK", "no track is loaded in this room");
    return { state: { ...state, timeline: result.timeline }, messages: [result.message] };
  };
}
