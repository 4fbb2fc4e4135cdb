import type { MemberRole, Participant, QueueState, ServerMessage } from "@sync-beats/protocol";
import { EMPTY_TIMELINE, stateAt, type Timeline } from "@sync-beats/timeline";
import type { ClockEstimate } from "./clock-estimator.js";
import type { CommandsState } from "./commands.js";
import type { PlayerStats } from "./player.js";
import type { AudioState, ConnectionState, EngineError, RoomInfo, SyncSnapshot } from "./types.js";

/** The server messages that change the room model. */
export type RoomMessage = Extract<ServerMessage, { type: "joined" | "user_joined" | "user_left" | "host_changed" | "room_updated" }>;

const roleOf = (userId: string, hostId: string | null): MemberRole => (userId === hostId ? "host" : "listener");

/** The room after one membership or room-facts message (pure). */
export function nextRoom(room: RoomInfo | null, message: RoomMessage): RoomInfo | null {
  if (message.type === "joined") {
    const { roomCode, userId, role, hostId, room: facts, participants } = message;
    return { roomCode, userId, role, hostId, facts, participants };
  }
  if (!room) return room;
  switch (message.type) {
    case "user_joined": {
      const others = room.participants.filter((p) => p.userId !== message.userId);
      const joiner: Participant = {
        userId: message.userId,
        name: message.name || message.userId,
        role: roleOf(message.userId, room.hostId),
        isOwner: message.userId === room.facts.ownerId,
        ...(message.isGuest ? { isGuest: true } : {}),
      };
      return { ...room, participants: [...others, joiner] };
    }
    case "user_left":
      return { ...room, participants: room.participants.filter((p) => p.userId !== message.userId) };
    case "host_changed":
      return {
        ...room,
        hostId: message.hostId,
        role: roleOf(room.userId, message.hostId),
        participants: room.participants.map((p) => ({ ...p, role: roleOf(p.userId, message.hostId) })),
      };
    case "room_updated":
      return {
        ...room,
        facts: message.room,
        participants: room.participants.map((p) => ({ ...p, isOwner: p.userId === message.room.ownerId })),
      };
  }
}

/** Everything a snapshot is made of. */
export interface SnapshotInputs {
  readonly connection: ConnectionState;
  readonly room: RoomInfo | null;
  readonly timeline: Timeline;
  readonly serverNow: number | null;
  readonly localNow: number;
  readonly audio: AudioState;
  readonly estimate: ClockEstimate | null;
  readonly player: PlayerStats | null;
  readonly counters: { readonly invalidFrames: number; readonly resyncs: number; readonly outputLatencyOffsetMs: number };
  readonly lastError: EngineError | null;
  readonly roomClosed: { readonly reason: string } | null;
  readonly commands: CommandsState;
  /** The room's queue as last announced (absent: none yet). */
  readonly queue?: QueueState | null;
}

/** Builds the immutable snapshot (pure). */
export function buildSnapshot(inputs: SnapshotInputs): SyncSnapshot {
  const { timeline, serverNow, estimate, player, room } = inputs;
  const latest = timeline.anchors[timeline.anchors.length - 1] ?? null;
  const state = serverNow === null ? null : stateAt(timeline, serverNow);
  const isPaused = state ? state.paused : true;
  const positionMs = state?.positionMs ?? latest?.positionMs ?? 0;
  const isHost = room !== null && room.role === "host";
  return Object.freeze({
    connection: inputs.connection,
    room,
    isHost,
    // The server's rule (it refuses the rest); a closed room controls nothing.
    canControl: inputs.roomClosed === null && (isHost || (room?.facts.listenersCanControl ?? false)),
    roomClosed: inputs.roomClosed,
    participants: room?.participants ?? [],
    track: state?.track ?? latest?.track ?? null,
    isPaused,
    positionMs,
    timeline: latest ? { positionMs, atLocalMs: inputs.localNow, isPaused } : null,
    audio: inputs.audio,
    loading: player?.loading ?? false,
    stats: Object.freeze({
      rttMs: estimate?.bestDelayMs ?? null,
      oneWayLatencyMs: estimate ? estimate.bestDelayMs / 2 : null,
      serverOffsetMs: estimate?.offsetMs ?? null,
      skewPpm: estimate ? estimate.skew * 1e6 : null,
      clockSamples: estimate?.samples ?? 0,
      driftMs: player?.driftMs ?? null,
      driftHistory: player?.driftHistory ?? [],
      playbackRate: player?.playbackRate ?? 1,
      audioSkewPpm: player?.audioSkewPpm ?? null,
      hardSeeks: player?.hardSeeks ?? 0,
      resyncs: inputs.counters.resyncs,
      invalidFrames: inputs.counters.invalidFrames,
      outputLatencyOffsetMs: inputs.counters.outputLatencyOffsetMs,
    }),
    lastError: inputs.lastError,
    commands: inputs.commands,
    queue: inputs.queue ?? null,
  });
}

/** The snapshot of an engine that has done nothing yet. */
export const INITIAL_SNAPSHOT: SyncSnapshot = buildSnapshot({
  connection: { status: "idle" },
  room: null,
  timeline: EMPTY_TIMELINE,
  serverNow: null,
  localNow: 0,
  audio: "locked",
  estimate: null,
  player: null,
  counters: { invalidFrames: 0, resyncs: 0, outputLatencyOffsetMs: 0 },
  lastError: null,
  roomClosed: null,
  commands: { pending: 0, lost: 0, lastRefusal: null },
});
