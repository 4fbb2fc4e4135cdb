import { z } from "zod";
import { CHAT_SERVER_MESSAGES } from "./chat.js";
import { CalibrationAbandonedMessage, CalibrationDoneMessage, CalibrationScheduleMessage, ConnectionId } from "./calibration-messages.js";
import { ErrorCode } from "./errors.js";
import {
  ClientTimestamp,
  CommandId,
  MemberRole,
  Participant,
  RoomFacts,
  PositionMs,
  RoomCode,
  ServerInstantMs,
  TrackInfo,
  UserId,
  VersionRange,
} from "./primitives.js";
import { QueueBroadcast } from "./queue.js";

/** The join succeeded: who the joiner is in the room, who hosts, the room's facts, and who is here. */
export const JoinedMessage = z.object({
  type: z.literal("joined"),
  roomCode: RoomCode,
  userId: UserId,
  role: MemberRole,
  hostId: UserId.nullable(),
  room: RoomFacts,
  /** The version the server picked from the client's range: the newest both speak. */
  protocolVersion: z.number().int(),
  serverTime: ServerInstantMs,
  participants: z.array(Participant),
  /** This connection's id, as calibration schedules and results name it (always sent). */
  connectionId: ConnectionId.optional(),
});

/** Sent to a joiner when the room has a track: where the timeline is at `atServerMs`. */
export const PlaySyncMessage = TrackInfo.extend({
  type: z.literal("PLAY_SYNC"),
  positionMs: PositionMs,
  atServerMs: ServerInstantMs,
  isPaused: z.boolean(),
});

export const UserJoinedMessage = z.object({
  type: z.literal("user_joined"),
  userId: UserId,
  name: z.string(),
  totalClients: z.number().int().min(0),
  /** The joiner is a guest (issue 18) [G4]; absent means false. */
  isGuest: z.boolean().optional(),
});

export const UserLeftMessage = z.object({
  type: z.literal("user_left"),
  userId: UserId,
  totalClients: z.number().int().min(0),
});

export const HostChangedMessage = z.object({
  type: z.literal("host_changed"),
  hostId: UserId,
});

/** The room's durable facts changed (through the API: renamed, listener control switched, ...). */
export const RoomUpdatedMessage = z.object({
  type: z.literal("room_updated"),
  room: RoomFacts,
});

/** The owner deleted the room: the server closes the socket with `ROOM_CLOSED` right after. */
export const RoomClosedMessage = z.object({
  type: z.literal("room_closed"),
  reason: z.string().max(200),
});

/** The command with this `id` was accepted: it takes effect at server instant `atServerMs`. */
export const CommandAcceptedMessage = z.object({
  type: z.literal("command_accepted"),
  id: CommandId,
  atServerMs: ServerInstantMs,
});

/** The command with this `id` was refused and changed nothing. */
export const CommandRefusedMessage = z.object({
  type: z.literal("command_refused"),
  id: CommandId,
  code: ErrorCode,
  message: z.string(),
});

/** Track `positionMs` is heard at server instant `startServerMs` (normally 0 at a future instant). */
export const PlayBroadcast = TrackInfo.extend({
  type: z.literal("PLAY"),
  startServerMs: ServerInstantMs,
  positionMs: PositionMs,
});

/** Playback stops at `atServerMs`, holding `positionMs`. */
export const PauseBroadcast = z.object({
  type: z.literal("PAUSE"),
  positionMs: PositionMs,
  atServerMs: ServerInstantMs,
});

/** Playback continues from `positionMs` at `startServerMs`. */
export const ResumeBroadcast = z.object({
  type: z.literal("RESUME"),
  positionMs: PositionMs,
  startServerMs: ServerInstantMs,
});

/** The timeline jumps to `seekPositionMs` at `atServerMs`, playing or paused as `isPaused` says. */
export const SeekBroadcast = z.object({
  type: z.literal("SEEK"),
  seekPositionMs: PositionMs,
  atServerMs: ServerInstantMs,
  isPaused: z.boolean(),
});

/** A new track starts from 0 at `startServerMs`. */
export const TrackChangeBroadcast = z.object({
  type: z.literal("TRACK_CHANGE"),
  trackData: TrackInfo,
  startServerMs: ServerInstantMs,
});

/**
 * Clock-sync answer: `t1` is the server's receive instant, `t2` its send instant (`serverTime`
 * equals `t2`, kept under the spec's name), `playbackPosition` the timeline position at `t2`.
 */
export const TimePong = z.object({
  type: z.literal("time_pong"),
  t0: ClientTimestamp,
  t1: ServerInstantMs,
  t2: ServerInstantMs,
  serverTime: ServerInstantMs,
  playbackPosition: PositionMs.nullable(),
});

/** The client was off by `driftMs` (positive: ahead); the timeline is at `correctPosMs` at `atServerMs`. */
export const ResyncMessage = z.object({
  type: z.literal("RESYNC"),
  correctPosMs: PositionMs,
  atServerMs: ServerInstantMs,
  driftMs: z.number().finite(),
});

/** A frame that is not a command (or not readable as one) was refused. */
export const ErrorMessage = z.object({
  type: z.literal("error"),
  code: ErrorCode,
  message: z.string(),
  /** With `CLIENT_TOO_OLD` / `SERVER_TOO_OLD`: the versions the server speaks. */
  versions: VersionRange.optional(),
});

/** Every message the sync server may send. */
export const ServerMessage = z.discriminatedUnion("type", [
  JoinedMessage,
  PlaySyncMessage,
  UserJoinedMessage,
  UserLeftMessage,
  HostChangedMessage,
  RoomUpdatedMessage,
  RoomClosedMessage,
  CommandAcceptedMessage,
  CommandRefusedMessage,
  PlayBroadcast,
  PauseBroadcast,
  ResumeBroadcast,
  SeekBroadcast,
  TrackChangeBroadcast,
  TimePong,
  ResyncMessage,
  ErrorMessage,
  QueueBroadcast,
  ...CHAT_SERVER_MESSAGES,
  CalibrationScheduleMessage,
  CalibrationDoneMessage,
  CalibrationAbandonedMessage,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
export type ServerMessageType = ServerMessage["type"];
export type ServerMessageOf<T extends ServerMessageType> = Extract<ServerMessage, { type: T }>;
