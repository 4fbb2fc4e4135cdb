import {
  ClientMessage,
  CommandId,
  CONTROL_MESSAGE_TYPES,
  type ErrorCode,
  PROTOCOL_VERSIONS,
  type ServerMessage,
  type VersionRange,
} from "@sync-beats/protocol";

/**
 * Reference model of the sync server for the fuzzers: what each frame must produce, written from
 * the protocol contract (issue 3, README) without the server's code. It keeps every timeline
 * segment forever (the server prunes), so comparing the two also checks the pruning. It does not
 * use `@sync-beats/timeline` on purpose: an oracle sharing the code under test would check nothing.
 */

export interface ModelLimits {
  maxFrameBytes: number;
  messagesPerSecond: number;
  messageBurst: number;
}

export interface ModelRoomConfig {
  leadMs: number;
  maxLeadMs: number;
  resyncThresholdMs: number;
}

interface Track {
  audioUrl: string;
  duration: number;
  trackId?: string;
  title?: string;
  artist?: string;
}

interface Step {
  at: number;
  pos: number;
  playing: boolean;
  track: Track;
}

function sameTrack(a: Track, b: Track): boolean {
  return a.audioUrl === b.audioUrl && a.duration === b.duration && a.trackId === b.trackId && a.title === b.title && a.artist === b.artist;
}

export class ModelTimeline {
  constructor(readonly steps: Step[]) {}

  /**
   * PLAY / TRACK_CHANGE at `at`: what was announced before `at` still plays until then (what was
   * announced from `at` on is superseded); with nothing before, the room holds at `positionMs`.
   */
  static start(previous: ModelTimeline | null, track: Track, positionMs: number, at: number): ModelTimeline {
    const pos = clamp(positionMs, 0, track.duration);
    const kept = (previous?.steps ?? []).filter((step) => step.at < at);
    return new ModelTimeline([...kept, { at, pos, playing: true, track }]);
  }

  /**
   * The step in force at `t`: the last one at or before it. Before the first instant the room
   * holds, paused, where it will be at that instant.
   */
  private stepAt(t: number): Step {
    const first = this.steps[0]!;
    if (t < first.at) return { ...this.stepAt(first.at), playing: false };
    let found = first;
    for (const step of this.steps) if (step.at <= t) found = step;
    return found;
  }

  track(t: number): Track {
    return this.stepAt(t).track;
  }

  position(t: number): number {
    const step = this.stepAt(t);
    return clamp(step.pos + (step.playing ? t - step.at : 0), 0, step.track.duration);
  }

  paused(t: number): boolean {
    return !this.stepAt(t).playing;
  }

  active(t: number): boolean {
    return this.paused(t) || this.position(t) < this.track(t).duration;
  }

  /** Commands apply in arrival order: never before the latest pending instant. */
  effective(aim: number): number {
    return Math.max(aim, this.steps[this.steps.length - 1]!.at);
  }

  /** Steps announced but not in force at `t` (the last per instant). */
  pending(t: number): Step[] {
    const pending = this.steps.filter((step) => step.at > t);
    return pending.filter((step, index) => pending[index + 1]?.at !== step.at);
  }

  /**
   * What a joiner at `t` is told after `joined`: PLAY_SYNC (once started), then each pending step as a SEEK, or
   * as a PLAY where it changes the track (and a SEEK after it when that step is paused).
   */
  catchUp(t: number): ServerMessage[] {
    const pending = this.pending(t);
    if (!this.active(t) && pending.length === 0) return [];
    // Before the first PLAY takes effect there is no state to sync, only that PLAY.
    const started = t >= this.steps[0]!.at;
    const messages: ServerMessage[] = started
      ? [{ type: "PLAY_SYNC", ...this.track(t), positionMs: this.position(t), atServerMs: t, isPaused: this.paused(t) }]
      : [];
    let track: Track | null = started ? this.track(t) : null;
    for (const step of pending) {
      const seek: ServerMessage = { type: "SEEK", seekPositionMs: step.pos, atServerMs: step.at, isPaused: !step.playing };
      const same = track !== null && sameTrack(step.track, track);
      if (!same) messages.push({ type: "PLAY", ...step.track, startServerMs: step.at, positionMs: step.pos });
      if (same || !step.playing) messages.push(seek);
      track = step.track;
    }
    return messages;
  }

  with(at: number, pos: number, playing: boolean): ModelTimeline {
    const track = this.track(at);
    return new ModelTimeline([...this.steps, { at, pos: clamp(pos, 0, track.duration), playing, track }]);
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

export interface ModelRoom {
  host: string | null;
  timeline: ModelTimeline | null;
  /** Connection ids of members, in join order. */
  members: number[];
}

interface ModelConnection {
  id: number;
  phase: "awaiting-join" | "joined" | "closed";
  connectedAt: number;
  room?: string;
  userId?: string;
  tokens: number;
  updatedAt: number;
}

/**
 * What one frame must produce on the sender's socket, and what the room must broadcast. An
 * accepted command is a broadcast (sender included) followed by the sender's `command_accepted`.
 */
export type Expectation =
  | { kind: "error"; code: ErrorCode; close?: number; versions?: VersionRange }
  | { kind: "refused"; id: string; code: ErrorCode }
  | { kind: "joined"; room: string; userId: string; role: "host" | "listener"; hostId: string | null; protocolVersion: number; catchUp: ServerMessage[] }
  | { kind: "broadcast"; room: string; message: ServerMessage; accepted: { id: string; atServerMs: number } }
  | { kind: "pong"; t0: number; t1: number; playbackPosition: number | null }
  | { kind: "resync"; message: ServerMessage }
  | { kind: "nothing" };

const SYNC_CHECK_SKEW_MS = 30_000;
const COMMAND_TYPES: readonly string[] = CONTROL_MESSAGE_TYPES;

/** The newest version both speak, or which side is too old (written from the contract, not versions.ts). */
function negotiate(offered: VersionRange): { version: number } | { code: "CLIENT_TOO_OLD" | "SERVER_TOO_OLD" } {
  if (offered.max < PROTOCOL_VERSIONS.min) return { code: "CLIENT_TOO_OLD" };
  if (offered.min > PROTOCOL_VERSIONS.max) return { code: "SERVER_TOO_OLD" };
  return { version: Math.min(offered.max, PROTOCOL_VERSIONS.max) };
}

export class SyncModel {
  readonly rooms = new Map<string, ModelRoom>();
  readonly connections: ModelConnection[] = [];

  constructor(
    private readonly limits: ModelLimits,
    private readonly config: ModelRoomConfig,
  ) {}

  connect(now: number): number {
    const id = this.connections.length;
    this.connections.push({ id, phase: "awaiting-join", connectedAt: now, tokens: this.limits.messageBurst, updatedAt: now });
    return id;
  }

  private take(connection: ModelConnection, now: number): boolean {
    const elapsed = Math.max(0, now - connection.updatedAt);
    connection.tokens = Math.min(this.limits.messageBurst, connection.tokens + (elapsed * this.limits.messagesPerSecond) / 1000);
    connection.updatedAt = now;
    if (connection.tokens < 1) return false;
    connection.tokens -= 1;
    return true;
  }

  /** Connections still not joined `timeoutMs` after connecting are closed (4002); returns them. */
  joinTimeouts(now: number, timeoutMs: number): number[] {
    const closed: number[] = [];
    for (const connection of this.connections) {
      if (connection.phase === "awaiting-join" && connection.connectedAt + timeoutMs <= now) {
        connection.phase = "closed";
        closed.push(connection.id);
      }
    }
    return closed;
  }

  binary(_id: number): Expectation {
    return { kind: "error", code: "BINARY_NOT_SUPPORTED" };
  }

  /** Applies one text frame to the model and says what the server must answer. */
  text(id: number, frame: string, now: number): Expectation {
    const connection = this.connections[id]!;
    if (Buffer.byteLength(frame) > this.limits.maxFrameBytes) return { kind: "error", code: "FRAME_TOO_LARGE" };
    if (!this.take(connection, now)) return { kind: "error", code: "RATE_LIMITED" };
    let value: unknown;
    try {
      value = JSON.parse(frame);
    } catch {
      return { kind: "error", code: "BAD_JSON" };
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) return { kind: "error", code: "INVALID_MESSAGE" };
    const fields = value as Record<string, unknown>;
    const type = fields.type;
    const known = ClientMessage.options.map((option) => option.shape.type.value as string);
    if (typeof type !== "string" || !known.includes(type)) return { kind: "error", code: "UNKNOWN_TYPE" };
    // A probe carries t0 and nothing else: no client-reported round trip (v1's rttMs) is taken.
    if (type === "time_ping" && Object.keys(fields).length !== 2) return { kind: "error", code: "INVALID_MESSAGE" };
    const parsed = ClientMessage.safeParse(value);
    if (!parsed.success) {
      const id = COMMAND_TYPES.includes(type) ? CommandId.safeParse(fields.id) : null;
      return id?.success ? { kind: "refused", id: id.data, code: "INVALID_MESSAGE" } : { kind: "error", code: "INVALID_MESSAGE" };
    }
    const message = parsed.data;

    if (message.type === "join") {
      if (connection.phase !== "awaiting-join") return { kind: "error", code: "ALREADY_JOINED" };
      const offered = message.versions ?? (message.protocolVersion === undefined ? null : { min: message.protocolVersion, max: message.protocolVersion });
      if (!offered) return { kind: "error", code: "INVALID_MESSAGE" };
      const choice = negotiate(offered);
      if ("code" in choice) {
        connection.phase = "closed";
        return { kind: "error", code: choice.code, close: 4000, versions: { ...PROTOCOL_VERSIONS } };
      }
      if (!message.userId) return { kind: "error", code: "INVALID_MESSAGE" };
      return this.join(connection, message.roomCode, message.userId, choice.version, now);
    }
    if (connection.phase !== "joined") {
      return "id" in message ? { kind: "refused", id: message.id, code: "NOT_JOINED" } : { kind: "error", code: "NOT_JOINED" };
    }
    const room = this.rooms.get(connection.room!)!;

    switch (message.type) {
      case "time_ping":
        return { kind: "pong", t0: message.t0, t1: now, playbackPosition: room.timeline ? room.timeline.position(now) : null };
      case "sync_check": {
        if (Math.abs(message.clientTimeMs - now) > SYNC_CHECK_SKEW_MS) return { kind: "error", code: "INVALID_MESSAGE" };
        const line = room.timeline;
        if (!line || !line.active(now) || line.paused(message.clientTimeMs)) return { kind: "nothing" };
        const driftMs = message.clientPosMs - line.position(message.clientTimeMs);
        if (Math.abs(driftMs) <= this.config.resyncThresholdMs) return { kind: "nothing" };
        return { kind: "resync", message: { type: "RESYNC", correctPosMs: line.position(now), atServerMs: now, driftMs } };
      }
      case "queue_add":
      case "queue_remove":
      case "queue_move":
      case "queue_play_next":
      case "queue_play_now":
        // The fuzzer sends no queue commands; their rules have their own tests (queue-rules, queue-transitions).
        throw new Error(`the room model does not model ${message.type}`);
      // Dev identity: a room without facts has no owner to moderate it [CH6].
      case "chat_remove":
        return { kind: "refused", id: message.id, code: "NOT_OWNER" };
      case "react":
      case "chat_send":
        // frames.ts does not generate them (their broadcasts carry server-chosen ids and names).
        throw new Error(`the model does not cover ${message.type}: model it before fuzzing it`);
      default: {
        const { id } = message;
        // Dev identity: no room facts, so listeners never control; only the host does.
        if (connection.userId !== room.host) return { kind: "refused", id, code: "NOT_HOST" };
        const aim = now + this.lead();
        const roomCode = connection.room!;
        const accept = (broadcast: ServerMessage, atServerMs: number): Expectation => ({
          kind: "broadcast",
          room: roomCode,
          message: broadcast,
          accepted: { id, atServerMs },
        });
        // frames.ts never generates a well-formed calibration command (rules CAL10–CAL16 have their own tests).
        if (message.type === "calibration_start" || message.type === "calibration_result") throw new Error(`${message.type} is not modelled`);
        switch (message.type) {
          case "PLAY": {
            const { type: _type, id: _id, positionMs = 0, ...track } = message;
            room.timeline = ModelTimeline.start(room.timeline, track, positionMs, aim);
            return accept({ type: "PLAY", ...track, startServerMs: aim, positionMs: room.timeline.position(aim) }, aim);
          }
          case "TRACK_CHANGE":
            room.timeline = ModelTimeline.start(room.timeline, message.trackData, 0, aim);
            return accept({ type: "TRACK_CHANGE", trackData: message.trackData, startServerMs: aim }, aim);
          case "PAUSE":
          case "RESUME":
          case "SEEK": {
            const line = room.timeline;
            if (!line) return { kind: "refused", id, code: "NO_TRACK" };
            const at = line.effective(aim);
            if (message.type === "PAUSE") {
              room.timeline = line.with(at, line.position(at), false);
              return accept({ type: "PAUSE", positionMs: room.timeline.position(at), atServerMs: at }, at);
            }
            if (message.type === "RESUME") {
              room.timeline = line.with(at, line.position(at), true);
              return accept({ type: "RESUME", positionMs: room.timeline.position(at), startServerMs: at }, at);
            }
            room.timeline = line.with(at, message.seekPositionMs, !line.paused(at));
            return accept({ type: "SEEK", seekPositionMs: room.timeline.position(at), atServerMs: at, isPaused: room.timeline.paused(at) }, at);
          }
        }
      }
    }
  }

  /** Dev identity, first joiner hosts a host-less room. */
  join(connection: ModelConnection, roomCode: string, userId: string, protocolVersion: number, now: number): Expectation {
    let room = this.rooms.get(roomCode);
    if (!room) this.rooms.set(roomCode, (room = { host: null, timeline: null, members: [] }));
    room.members.push(connection.id);
    connection.phase = "joined";
    connection.room = roomCode;
    connection.userId = userId;
    if (room.host === null) room.host = userId;
    const line = room.timeline;
    // The state at the join instant, then every command announced but not yet in force.
    // No fuzzed frame sends chat, so the history a joiner gets is always empty [CH5].
    const catchUp: ServerMessage[] = [...(line ? line.catchUp(now) : []), { type: "chat_history", messages: [] }];
    return { kind: "joined", room: roomCode, userId, role: room.host === userId ? "host" : "listener", hostId: room.host, protocolVersion, catchUp };
  }

  /**
   * The configured floor. The server sizes leads from round trips it measures itself (ping/pong),
   * which no fuzzed frame can change; in memory there are none, over ws they take no fake time.
   */
  private lead(): number {
    return Math.min(this.config.maxLeadMs, Math.max(this.config.leadMs, 50));
  }
}
