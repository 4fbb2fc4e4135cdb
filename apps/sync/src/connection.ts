import { randomUUID } from "node:crypto";
import {
  chooseVersion,
  type ClientMessage,
  type ClientMessageOf,
  type ClientMessageType,
  CloseCode,
  type ControlMessage,
  hasExtraPingFields,
  hotClientMessage,
  offeredVersions,
  PROTOCOL_VERSIONS,
  type QueueItem,
  type QueueMessage,
  type ServerMessage,
  validateClientMessage,
} from "@sync-beats/protocol";
import type { Logger } from "pino";
import type { ClientSocket } from "./client-socket.js";
import type { ServerClock } from "./clock.js";
import { ProtocolError } from "./errors.js";
import type { IdentityVerifier } from "./identity.js";
import { TokenBucket } from "./rate-limiter.js";
import type { Room } from "./room.js";
import type { Member } from "./room-member.js";
import type { RoomRegistry } from "./room-registry.js";

export interface ConnectionLimits {
  /** Frames larger than this (in UTF-8 bytes) get `FRAME_TOO_LARGE`; the socket stays open. */
  maxFrameBytes: number;
  messagesPerSecond: number;
  messageBurst: number;
  /** Queue commands have their own, tighter bucket: a flood of adds is refused `RATE_LIMITED` [Q12]. */
  queueCommandsPerSecond?: number;
  queueCommandBurst?: number;
}

/** The queue bucket's defaults: a person editing a queue by hand never comes near them. */
export const QUEUE_COMMAND_LIMITS = { perSecond: 5, burst: 20 } as const;

export interface ConnectionDeps {
  registry: RoomRegistry;
  verifyIdentity: IdentityVerifier;
  clock: ServerClock;
  logger: Logger;
  limits: ConnectionLimits;
  /** The track a `queue_add`'s grant vouches for (checked against the wall clock), or null [Q2]. */
  resolveTrack?(grant: string, wallNowMs: number): QueueItem["track"] | null;
  onMessage?(type: ClientMessageType | "invalid"): void;
}

/** Lifecycle of one socket; each phase holds only what is valid in it. */
type ConnectionState =
  | { phase: "awaiting-join" }
  | { phase: "joining" }
  | { phase: "joined"; room: Room; member: Member }
  | { phase: "closing" };

type Handler<T extends ClientMessageType> = (connection: Connection, message: ClientMessageOf<T>, receivedAt: number) => void | Promise<void>;

/**
 * One client connection: validates each frame, dispatches it exhaustively, and turns every
 * {@link ProtocolError} into an `error` frame so the connection and the room live on.
 */
export class Connection {
  private state: ConnectionState = { phase: "awaiting-join" };
  private readonly bucket: TokenBucket;
  private readonly queueBucket: TokenBucket;
  /**
   * One table for every connection (not 19 closures per connection: each costs memory, and tsx's
   * keepNames redefines every closure's `name` as it is created).
   */
  private static readonly handlers: { [T in ClientMessageType]: Handler<T> } = {
    join: (self, message) => self.join(message),
    PLAY: (self, message) => self.control(message),
    PAUSE: (self, message) => self.control(message),
    RESUME: (self, message) => self.control(message),
    SEEK: (self, message) => self.control(message),
    TRACK_CHANGE: (self, message) => self.control(message),
    queue_add: (self, message) => self.queue(message),
    queue_remove: (self, message) => self.queue(message),
    queue_move: (self, message) => self.queue(message),
    queue_play_next: (self, message) => self.queue(message),
    queue_play_now: (self, message) => self.queue(message),
    time_ping: (self, message, receivedAt) => {
      const { room, member } = self.joined();
      room.timePong(member, message.t0, receivedAt);
    },
    sync_check: (self, message) => {
      const { room, member } = self.joined();
      room.syncCheck(member, message);
    },
    react: (self, message) => self.answer(message.id, (room, member) => room.chat.react(member, message)),
    chat_send: (self, message) => self.answer(message.id, (room, member) => room.chat.send(member, message)),
    chat_remove: (self, message) => self.answer(message.id, (room, member) => room.chat.remove(member, message)),
    calibration_start: (self, message) => self.answer(message.id, (room, member) => room.calibration.start(member, message)),
    calibration_result: (self, message) => self.answer(message.id, (room, member) => room.calibration.result(member, message)),
  };
  /** The newest round trip the transport measured; handed to the room on join. */
  private rttMs: number | null = null;

  constructor(
    private readonly socket: ClientSocket,
    private readonly deps: ConnectionDeps,
  ) {
    this.bucket = new TokenBucket(deps.limits.messagesPerSecond, deps.limits.messageBurst, deps.clock.now());
    const { queueCommandsPerSecond = QUEUE_COMMAND_LIMITS.perSecond, queueCommandBurst = QUEUE_COMMAND_LIMITS.burst } = deps.limits;
    this.queueBucket = new TokenBucket(queueCommandsPerSecond, queueCommandBurst, deps.clock.now());
  }

  get phase(): ConnectionState["phase"] {
    return this.state.phase;
  }

  /** Handles one text frame; `receivedAt` is stamped by the transport on arrival. */
  onText(text: string, receivedAt: number): void {
    try {
      // A UTF-16 code unit is at most 3 UTF-8 bytes: only a frame that could be too long is measured.
      if (text.length * 3 > this.deps.limits.maxFrameBytes && Buffer.byteLength(text) > this.deps.limits.maxFrameBytes) {
        throw new ProtocolError("FRAME_TOO_LARGE", `frames are limited to ${this.deps.limits.maxFrameBytes} bytes`);
      }
      if (!this.bucket.take(receivedAt)) throw new ProtocolError("RATE_LIMITED", "too many messages; slow down");
      const message = this.decode(text);
      this.deps.onMessage?.(message.type);
      const outcome = (Connection.handlers[message.type] as Handler<ClientMessageType>)(this, message, receivedAt);
      if (outcome) outcome.catch((error: unknown) => this.fail(error));
    } catch (error) {
      this.fail(error);
    }
  }

  /** A command is answered either way: accepted with its instant, or refused with the code [PV5]. */
  private control(message: ControlMessage): Promise<void> {
    return this.answer(message.id, (room, member) => room.control(member, message));
  }

  /** Runs the command `id` and answers it: `command_accepted` with the instant `run` resolves with, or refused. */
  private async answer(id: string, run: (room: Room, member: Member) => Promise<number>): Promise<void> {
    try {
      const { room, member } = this.joined();
      const atServerMs = await run(room, member);
      this.send({ type: "command_accepted", id, atServerMs });
    } catch (error) {
      if (!(error instanceof ProtocolError)) this.deps.logger.error({ err: error }, "command failed");
      throw (error instanceof ProtocolError ? error : new ProtocolError("INTERNAL", "internal error")).forCommand(id);
    }
  }

  /** A queue command, answered like a control command [Q1]; an add's track comes from its grant only [Q2]. */
  private queue(message: QueueMessage): Promise<void> {
    return this.answer(message.id, (room, member) => {
      if (!this.queueBucket.take(this.deps.clock.now())) throw new ProtocolError("RATE_LIMITED", "too many queue changes; slow down");
      let added: { track: QueueItem["track"]; itemId: string } | undefined;
      if (message.type === "queue_add") {
        const track = this.deps.resolveTrack?.(message.trackGrant, this.deps.clock.wallNow()) ?? null;
        if (!track) throw new ProtocolError("UNKNOWN_TRACK", "the library does not vouch for that track");
        added = { track, itemId: randomUUID() };
      }
      return room.queue(member, message, added);
    });
  }

  onBinary(): void {
    this.fail(new ProtocolError("BINARY_NOT_SUPPORTED", "send JSON text frames"));
  }

  /** Heartbeat round trip measured by the transport. */
  onRtt(rttMs: number): void {
    this.rttMs = rttMs;
    if (this.state.phase === "joined") this.state.room.recordRtt(this.state.member, rttMs);
  }

  onClose(): void {
    if (this.state.phase === "joined") this.leaveQuietly(this.state.room, this.state.member);
    this.state = { phase: "closing" };
  }

  /**
   * JSON first; a well-formed `time_ping` or `sync_check` (nine in ten frames) is checked by hand
   * instead of by zod, whose parse copies the object (bench:hot-path measures the difference).
   */
  private decode(text: string): ClientMessage {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ProtocolError("BAD_JSON", "frame is not valid JSON");
    }
    const hot = hotClientMessage(value);
    if (hot) return hot;
    // time_ping is strict (LT3): a probe still carrying v1's `rttMs` (or anything else) is refused by name.
    if ((value as { type?: unknown } | null)?.type === "time_ping" && hasExtraPingFields(value as object)) {
      this.deps.onMessage?.("invalid");
      throw new ProtocolError("INVALID_MESSAGE", "time_ping carries only t0");
    }
    const result = validateClientMessage(value);
    if (!result.ok) {
      this.deps.onMessage?.("invalid");
      const error = new ProtocolError(result.code, result.message);
      throw result.commandId === undefined ? error : error.forCommand(result.commandId);
    }
    return result.message;
  }

  private joined(): Extract<ConnectionState, { phase: "joined" }> {
    if (this.state.phase !== "joined") throw new ProtocolError("NOT_JOINED", "send join first");
    return this.state;
  }

  private leaveQuietly(room: Room, member: Member): void {
    room.leave(member).catch((error: unknown) => this.deps.logger.error({ err: error, room: room.code }, "leave failed"));
  }

  private async join(message: ClientMessageOf<"join">): Promise<void> {
    if (this.state.phase !== "awaiting-join") throw new ProtocolError("ALREADY_JOINED", "this connection already joined a room");
    const offered = offeredVersions(message);
    if (!offered) throw new ProtocolError("INVALID_MESSAGE", "join must offer the protocol versions it speaks");
    const choice = chooseVersion(offered, PROTOCOL_VERSIONS);
    if (!choice.ok) {
      const spoken = `${PROTOCOL_VERSIONS.min}-${PROTOCOL_VERSIONS.max}`;
      throw new ProtocolError(choice.code, `server speaks protocol ${spoken}, client ${offered.min}-${offered.max}`, CloseCode.PROTOCOL_MISMATCH);
    }
    this.state = { phase: "joining" };
    let joined: { room: Room; member: Member } | null;
    try {
      joined = await this.enterRoom(message, choice.version);
    } catch (error) {
      // A refused or failed join may be retried on the same connection.
      if (this.state.phase === "joining") this.state = { phase: "awaiting-join" };
      throw error;
    }
    if (!joined) return;
    const { room, member } = joined;
    if (this.state.phase !== "joining") {
      // The socket closed while the join was in flight.
      this.leaveQuietly(room, member);
      return;
    }
    this.state = { phase: "joined", room, member };
    if (this.rttMs !== null) room.recordRtt(member, this.rttMs);
    this.deps.logger.info({ room: room.code, userId: member.identity.userId }, "joined");
  }

  /** Verifies the identity, then joins; null when the socket closed during verification. */
  private async enterRoom(message: ClientMessageOf<"join">, protocolVersion: number): Promise<{ room: Room; member: Member } | null> {
    // The API stamped the ticket with its wall clock; the timeline clock is monotonic.
    const identity = await this.deps.verifyIdentity(message, this.deps.clock.wallNow());
    if (this.state.phase !== "joining") return null;
    const room = this.deps.registry.getOrCreate(message.roomCode);
    return { room, member: await room.join(this.socket, identity, protocolVersion, message.timing ?? null) };
  }

  private fail(error: unknown): void {
    const protocolError =
      error instanceof ProtocolError ? error : new ProtocolError("INTERNAL", "internal error");
    const room = this.state.phase === "joined" ? this.state.room.code : undefined;
    if (protocolError.code === "INTERNAL") this.deps.logger.error({ err: error, room }, "handler failed");
    else if (protocolError.code === "UNAVAILABLE") this.deps.logger.warn({ room }, protocolError.message);
    else this.deps.logger.debug({ room, code: protocolError.code }, protocolError.message);
    if (protocolError.commandId !== undefined) {
      this.send({ type: "command_refused", id: protocolError.commandId, code: protocolError.code, message: protocolError.message });
    } else {
      const versions = protocolError.closeWith === CloseCode.PROTOCOL_MISMATCH ? { versions: { ...PROTOCOL_VERSIONS } } : {};
      this.send({ type: "error", code: protocolError.code, message: protocolError.message, ...versions });
    }
    if (protocolError.closeWith !== undefined) {
      this.onClose();
      this.socket.close(protocolError.closeWith, protocolError.message.slice(0, 120));
    }
  }

  private send(message: ServerMessage): void {
    this.socket.send(JSON.stringify(message));
  }
}
