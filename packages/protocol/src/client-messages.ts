import { z } from "zod";
import {
  ClientTimestamp,
  DisplayName,
  PositionMs,
  RoomCode,
  ServerInstantMs,
  TrackInfo,
  UserId,
} from "./primitives.js";

/**
 * First message on every connection. Identity comes from `ticket` (signed by the API) when the
 * server requires tickets; in dev-identity mode the server takes `userId`/`name` as claimed.
 */
export const JoinMessage = z.object({
  type: z.literal("join"),
  roomCode: RoomCode,
  protocolVersion: z.number().int(),
  ticket: z.string().min(1).max(2048).optional(),
  userId: UserId.optional(),
  name: DisplayName.optional(),
});

/** Host: start a track. Everyone, sender included, starts it at one server instant. */
export const PlayCommand = TrackInfo.extend({
  type: z.literal("PLAY"),
  positionMs: PositionMs.optional(),
});

/** Host: pause. The server decides the position; `positionMs` from the client is informational. */
export const PauseCommand = z.object({
  type: z.literal("PAUSE"),
  positionMs: PositionMs.optional(),
});

export const ResumeCommand = z.object({ type: z.literal("RESUME") });

export const SeekCommand = z.object({
  type: z.literal("SEEK"),
  seekPositionMs: PositionMs,
});

export const TrackChangeCommand = z.object({
  type: z.literal("TRACK_CHANGE"),
  trackData: TrackInfo,
});

/** Clock-sync probe. `rttMs` is the client's latest measured round trip, used to size lead times. */
export const TimePing = z.object({
  type: z.literal("time_ping"),
  t0: ClientTimestamp,
  rttMs: z.number().finite().min(0).max(60_000).optional(),
});

/** Drift report: the position the client rendered at `clientTimeMs`, its estimate of server time. */
export const SyncCheck = z.object({
  type: z.literal("sync_check"),
  clientPosMs: PositionMs,
  clientTimeMs: ServerInstantMs,
});

/**
 * Host only: whether guests whose join ticket lets them control may do so now. The API's room
 * setting decides what tickets say; this lets the host revoke it at once for guests already
 * connected (it can only narrow what tickets grant, never widen it).
 */
export const RoomSettingsMessage = z.object({
  type: z.literal("room_settings"),
  guestsCanControl: z.boolean(),
});

/** Every message a client may send. */
export const ClientMessage = z.discriminatedUnion("type", [
  JoinMessage,
  PlayCommand,
  PauseCommand,
  ResumeCommand,
  SeekCommand,
  TrackChangeCommand,
  TimePing,
  SyncCheck,
  RoomSettingsMessage,
]);
export type ClientMessage = z.infer<typeof ClientMessage>;
export type ClientMessageType = ClientMessage["type"];
export type ClientMessageOf<T extends ClientMessageType> = Extract<ClientMessage, { type: T }>;

/** Messages only the host (or, when the room allows it, any guest) may send. */
export const CONTROL_MESSAGE_TYPES = ["PLAY", "PAUSE", "RESUME", "SEEK", "TRACK_CHANGE"] as const;
export type ControlMessageType = (typeof CONTROL_MESSAGE_TYPES)[number];
export type ControlMessage = ClientMessageOf<ControlMessageType>;

/** Every `type` a client may send, for telling an unknown type from a malformed known one. */
export const CLIENT_MESSAGE_TYPES: ReadonlySet<string> = new Set(
  ClientMessage.options.map((option) => option.shape.type.value),
);
