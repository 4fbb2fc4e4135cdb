import type { Clock } from "./clock.js";
import { localClaims } from "./identity.js";
import { type Backplane, EMPTY_ROOM_STATE, type PresenceEntry, type RoomEnvelope, type SharedRoomState } from "./backplane.js";

/**
 * Single-process backplane. Everything happens synchronously inside each call, so a command's
 * broadcast has reached every local member by the time the outermost call returns. State and
 * presence live in this process only; a room's state is dropped when its last subscriber leaves
 * while nobody is present.
 */
export function createMemoryBackplane(clock: Clock): Backplane {
  const states = new Map<string, SharedRoomState>();
  const presences = new Map<string, PresenceEntry[]>();
  const listeners = new Map<string, Set<(envelope: RoomEnvelope) => void>>();
  const claims = localClaims();
  // A listener may publish from its callback; its envelope waits until every listener had the one
  // being delivered, or later listeners would see versions go backwards.
  const undelivered: { roomCode: string; envelope: RoomEnvelope }[] = [];
  let delivering = false;

  function deliver(roomCode: string, envelope: Omit<RoomEnvelope, "sentAt">): void {
    undelivered.push({ roomCode, envelope: { ...envelope, sentAt: clock.now() } });
    if (delivering) return;
    delivering = true;
    try {
      for (let next = undelivered.shift(); next; next = undelivered.shift()) {
        for (const listener of listeners.get(next.roomCode) ?? []) listener(next.envelope);
      }
    } finally {
      delivering = false;
    }
  }

  return {
    nodeId: "local",
    isHealthy: () => true,
    async load(roomCode) {
      return states.get(roomCode) ?? EMPTY_ROOM_STATE;
    },
    async transact(roomCode, transition) {
      const current = states.get(roomCode) ?? EMPTY_ROOM_STATE;
      const result = transition(current);
      if (!result) return current;
      const state = { ...result.state, version: current.version + 1 };
      states.set(roomCode, state);
      deliver(roomCode, { state, frames: result.messages.map((message) => JSON.stringify(message)) });
      return state;
    },
    async publish(roomCode, envelope) {
      deliver(roomCode, envelope);
    },
    async subscribe(roomCode, listener) {
      let set = listeners.get(roomCode);
      if (!set) listeners.set(roomCode, (set = new Set()));
      set.add(listener);
      return async () => {
        set.delete(listener);
        if (set.size === 0) {
          listeners.delete(roomCode);
          // Nobody on this node follows the room any more: its state goes with it.
          if ((presences.get(roomCode)?.length ?? 0) === 0) states.delete(roomCode);
        }
      };
    },
    async join(roomCode, entry) {
      const list = [...(presences.get(roomCode) ?? []).filter(({ id }) => id !== entry.id), entry];
      presences.set(roomCode, list);
      return list;
    },
    async leave(roomCode, entryId) {
      const list = (presences.get(roomCode) ?? []).filter((entry) => entry.id !== entryId);
      if (list.length === 0) presences.delete(roomCode);
      else presences.set(roomCode, list);
      return list;
    },
    async presence(roomCode) {
      return presences.get(roomCode) ?? [];
    },
    claimOnce(key, ttlMs) {
      const now = clock.now();
      return claims(key, now + ttlMs, now);
    },
    async close() {
      listeners.clear();
    },
  };
}
