import { z } from "zod";
import { CHAT_CLIENT_MESSAGES } from "./chat.js";
import { CalibrationResultCommand, CalibrationStartCommand } from "./calibration-messages.js";
import {
  ClientTimestamp,
  CommandId,
  DisplayName,
  MAX_DECLARED_TIMING_MS,
  PositionMs,
  RoomCode,
  ServerInstantMs,
  TrackInfo,
  UserId,
  VersionRange,
} from "./primitives.js";
import { QUEUE_COMMANDS, QUEUE_MESSAGE_TYPES, type QueueMessageType } from "./queue.js";

/**
 * First message on every connection. `versions` is the range of protocol versions the client
 * speaks (`protocolVersion`, one number, is how version 1 clients said it: they are told
 * `CLIENT_TOO_OLD`). Identity comes from `ticket` (signed by the API) when the server requires
 * tickets; in dev-identity mode the server takes `userId`/`name` as claimed.
 */
/**
 * What a client needs between receiving a command and the instant it takes effect, declared on
 * join [LS1]: its scheduling margin (main thread to audio render thread) and its output latency
 * (render thread to speaker). Bounded so that no member can claim more than the room's cap allows.
 */
export const JoinTiming = z.object({
  schedulingMarginMs: z.number().int().min(0).max(MAX_DECLARED_TIMING_MS),
  outputLatencyMs: z.number().int().min(0).max(MAX_DECLARED_TIMING_MS),
});

export const JoinMessage = z.object({
  type: z.literal("join"),
  roomCode: RoomCode,
  versions: VersionRange.optional(),
  protocolVersion: z.number().int().optional(),
  ticket: z.string().min(1).max(2048).optional(),
  userId: UserId.optional(),
  name: DisplayName.optional(),
  timing: JoinTiming.optional(),
});

/** Fields every command carries: `id` is echoed by the server's `command_accepted` / `command_refused`. */
const command = <T extends string>(type: T) => z.object({ type: z.literal(type), id: CommandId });

/** Start a track. Everyone, sender included, starts it at one server instant. */
export const PlayCommand = command("PLAY").extend(TrackInfo.shape).extend({ positionMs: PositionMs.optional() });

/** Pause. The server decides the position; `positionMs` from the client is informational. */
export const PauseCommand = command("PAUSE").extend({ positionMs: PositionMs.optional() });

export const ResumeCommand = command("RESUME");

export const SeekCommand = command("SEEK").extend({ seekPositionMs: PositionMs });

export const TrackChangeCommand = command("TRACK_CHANGE").extend({ trackData: TrackInfo });

/**
 * Clock-sync probe. The server measures round trips itself (WebSocket ping/pong), so the probe
 * carries nothing a client could use to change the room.
 */
export const TimePing = z
  .object({
    type: z.literal("time_ping"),
    t0: ClientTimestamp,
  })
  .strict();

/** Drift report: the position the client rendered at `clientTimeMs`, its estimate of server time. */
export const SyncCheck = z.object({
  type: z.literal("sync_check"),
  clientPosMs: PositionMs,
  clientTimeMs: ServerInstantMs,
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
  ...QUEUE_COMMANDS,
  ...CHAT_CLIENT_MESSAGES,
  CalibrationStartCommand,
  CalibrationResultCommand,
]);
export type ClientMessage = z.infer<typeof ClientMessage>;
export type ClientMessageType = ClientMessage["type"];
export type ClientMessageOf<T extends ClientMessageType> = Extract<ClientMessage, { type: T }>;

/**
 * Commands that move the playback timeline: only the host, or listeners when the room allows it.
 * Each carries an `id` and is answered by `command_accepted` or `command_refused`.
 */
export const CONTROL_MESSAGE_TYPES = ["PLAY", "PAUSE", "RESUME", "SEEK", "TRACK_CHANGE"] as const;
export type ControlMessageType = (typeof CONTROL_MESSAGE_TYPES)[number];
export type ControlMessage = ClientMessageOf<ControlMessageType>;

/** Every `type` a client may send, for telling an unknown type from a malformed known one. */
export const CLIENT_MESSAGE_TYPES: ReadonlySet<string> = new Set(
  ClientMessage.options.map((option) => option.shape.type.value),
);

/** Queue commands: each carries an `id` and is answered like a control command [Q1]. */
export type QueueMessage = ClientMessageOf<QueueMessageType>;

/** Every client message that carries a command `id` and gets `command_accepted` / `command_refused`. */
export const COMMAND_MESSAGE_TYPES: ReadonlySet<string> = new Set<string>([...CONTROL_MESSAGE_TYPES, ...QUEUE_MESSAGE_TYPES]);
