import { EMPTY_QUEUE, type QueueState, type ServerMessage, type VersionedRoomFacts } from "@sync-beats/protocol";
import { EMPTY_TIMELINE, type Timeline } from "@sync-beats/timeline";

/**
 * The live state of a room, the one owner of its live facts: what every node of the room agrees
 * on. `version` grows by one per change.
 */
export interface SharedRoomState {
  version: number;
  /** Who controls playback now (the host); null until the owner (or, dev identity, anyone) joins. */
  hostUserId: string | null;
  timeline: Timeline;
  /** The newest copy of the room's durable facts the API has given (ticket or push); null: none yet. */
  facts: VersionedRoomFacts | null;
  /** The facts version at which the owner deleted the room: facts no newer than it may not join. */
  closedAtVersion: number | null;
  /** The shared queue: what plays after the current track, in order [Q1]. */
  queue: QueueState;
  /** Users the owner removed from the room: their sockets are closed and their joins refused [CH8]. */
  removedUserIds: string[];
}

export const EMPTY_ROOM_STATE: SharedRoomState = {
  version: 0,
  hostUserId: null,
  timeline: EMPTY_TIMELINE,
  facts: null,
  closedAtVersion: null,
  queue: EMPTY_QUEUE,
  removedUserIds: [],
};

/** One live connection of a room, on any node. `id` is unique across nodes. */
export interface PresenceEntry {
  id: string;
  userId: string;
  name: string;
  /** See Identity.isGuest; absent in entries written before guests existed. */
  isGuest?: boolean;
}

/**
 * Computes the next state and what to announce, from the state as it is now in the backplane
 * (the same function may run again when another node changed the room meanwhile). Returns null
 * to change nothing; throws a ProtocolError to refuse.
 */
export type Transition = (state: SharedRoomState) => { state: SharedRoomState; messages: ServerMessage[] } | null;

/** Delivered to every node subscribed to a room, the origin included. */
export interface RoomEnvelope {
  /** The room's state after the change, when the change touched it. */
  state?: SharedRoomState;
  /** Serialised once at the origin; each node sends the same string to its members. */
  frames: string[];
  /** A connection that must not get these frames (e.g. the joiner, for `user_joined`). */
  exceptId?: string;
  /** Origin node's clock when published, for the cross-node fan-out latency metric. */
  sentAt: number;
}

/**
 * Where rooms' shared state, presence and broadcasts live: in this process, or in Redis so that
 * the clients of one room may sit on different sync processes.
 */
export interface Backplane {
  readonly nodeId: string;
  load(roomCode: string): Promise<SharedRoomState>;
  /**
   * Applies `transition` atomically and publishes its messages (and the new state) to every node.
   * `known`: the newest state this node adopted, restored if the store turns out to be older.
   */
  transact(roomCode: string, transition: Transition, known?: SharedRoomState): Promise<SharedRoomState>;
  /** Publishes frames that change no state. */
  publish(roomCode: string, envelope: Omit<RoomEnvelope, "sentAt">): Promise<void>;
  /**
   * Delivers the room's envelopes to `listener`. `onGap` is told when the subscription was lost
   * and is back: envelopes published meanwhile never arrive, so the room reloads its state [RC8].
   */
  subscribe(roomCode: string, listener: (envelope: RoomEnvelope) => void, onGap?: () => void): Promise<() => Promise<void>>;
  /** Adds a connection to the room's presence; returns the room's connections, oldest first. */
  join(roomCode: string, entry: PresenceEntry): Promise<PresenceEntry[]>;
  /** Removes a connection; returns those left, oldest first. */
  leave(roomCode: string, entryId: string): Promise<PresenceEntry[]>;
  presence(roomCode: string): Promise<PresenceEntry[]>;
  /** False while the backplane cannot be reached: `/healthz` answers 503 so balancers route elsewhere. */
  isHealthy(): boolean;
  /** Records `key` for `ttlMs`; false when it is already recorded (on any node). */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  close(): Promise<void>;
}
