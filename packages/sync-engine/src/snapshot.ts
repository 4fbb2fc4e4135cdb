import type { ServerMessage } from "@sync-beats/protocol";
import { EMPTY_TIMELINE, stateAt, type Timeline } from "@sync-beats/timeline";
import type { ClockEstimate } from "./clock-estimator.js";
import type { PlayerStats } from "./player.js";
import type { AudioState, ConnectionState, EngineError, RoomInfo, SyncSnapshot } from "./types.js";

type RoomMessage = Extract<ServerMessage, { type: "joined" | "user_joined" | "user_left" | "host_changed" | "room_settings" }>;

/** The room after one membership message (pure). */
export function nextRoom(room: RoomInfo | null, message: RoomMessage): RoomInfo | null {
  if (message.type === "joined") {
    const { roomCode, userId, hostId, participants, guestsCanControl } = message;
    return { roomCode, userId, hostId, participants, ...(guestsCanControl === undefined ? {} : { guestsCanControl }) };
  }
  if (!room) return room;
  switch (message.type) {
    case "user_joined": {
      const others = room.participants.filter((p) => p.userId !== message.userId);
      const name = message.name || message.userId;
      return { ...room, participants: [...others, { userId: message.userId, name, isHost: message.userId === room.hostId }] };
    }
    case "user_left":
      return { ...room, participants: room.participants.filter((p) => p.userId !== message.userId) };
    case "host_changed":
      return {
        ...room,
        hostId: message.hostId,
        participants: room.participants.map((p) => ({ ...p, isHost: p.userId === message.hostId })),
      };
    case "room_settings":
      return { ...room, guestsCanControl: message.guestsCanControl };
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
}

/** Builds the immutable snapshot (pure). */
export function buildSnapshot(inputs: SnapshotInputs): SyncSnapshot {
  const { timeline, serverNow, estimate, player, room } = inputs;
  const latest = timeline.anchors[timeline.anchors.length - 1] ?? null;
  const state = serverNow === null ? null : stateAt(timeline, serverNow);
  const isPaused = state ? state.paused : true;
  const positionMs = state?.positionMs ?? latest?.positionMs ?? 0;
  return Object.freeze({
    connection: inputs.connection,
    room,
    isHost: room !== null && room.hostId === room.userId,
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
});
