import type { ClientMessageOf, ControlMessage, Participant, ServerMessage } from "@sync-beats/protocol";
import { PROTOCOL_VERSION } from "@sync-beats/protocol";
import type { Logger } from "pino";
import type { ClientSocket } from "./client-socket.js";
import type { Clock, Disposer } from "./clock.js";
import { ProtocolError } from "./errors.js";
import type { Identity } from "./identity.js";
import * as timeline from "./timeline.js";

export interface RoomConfig {
  /** Minimum lead between a command's arrival and the server instant it takes effect. */
  leadMs: number;
  /** Upper bound on the lead, however slow the slowest client claims to be. */
  maxLeadMs: number;
  /** A `sync_check` further off than this is answered with `RESYNC`. */
  resyncThresholdMs: number;
  /** How long a disconnected host keeps the role before the longest-connected client gets it. */
  hostGraceMs: number;
  /** Whether the first client in a host-less room becomes host (dev identity: nobody else can). */
  firstJoinerHosts: boolean;
}

export interface RoomEvents {
  onEmpty(room: Room): void;
  onResync?(room: Room, driftMs: number): void;
  onBroadcast?(type: ServerMessage["type"], fanOut: number): void;
}

/** One live connection in a room. */
export interface Member {
  readonly id: number;
  readonly socket: ClientSocket;
  readonly identity: Identity;
  /** Latest round trip the client or the heartbeat measured, used to size lead times. */
  rttMs: number | null;
}

/** A `sync_check` about an instant further than this from now is not a drift report but garbage. */
const MAX_SYNC_CHECK_SKEW_MS = 30_000;

let nextMemberId = 1;

/**
 * A room of live clients and its authoritative playback timeline. All I/O goes through
 * {@link ClientSocket}; all time through the injected {@link Clock}.
 */
export class Room {
  private readonly members = new Map<number, Member>();
  private hostUserId: string | null = null;
  private state: timeline.Timeline | null = null;
  private cancelHostGrace: Disposer | null = null;

  constructor(
    readonly code: string,
    private readonly clock: Clock,
    private readonly config: RoomConfig,
    private readonly events: RoomEvents,
    private readonly logger: Logger,
  ) {}

  get size(): number {
    return this.members.size;
  }

  get hostId(): string | null {
    return this.hostUserId;
  }

  /** The current timeline (read-only view for tests, metrics and persistence). */
  get playback(): timeline.Timeline | null {
    return this.state;
  }

  positionAt(serverMs: number): number | null {
    return this.state ? timeline.positionAt(this.state, serverMs) : null;
  }

  join(socket: ClientSocket, identity: Identity): Member {
    const member: Member = { id: nextMemberId++, socket, identity, rttMs: null };
    this.members.set(member.id, member);
    const previousHost = this.hostUserId;
    if (identity.claimsHost || (this.hostUserId === null && this.config.firstJoinerHosts)) {
      this.hostUserId = identity.userId;
    }
    if (identity.userId === this.hostUserId) this.stopHostGrace();

    const now = this.clock.now();
    this.sendTo(member, {
      type: "joined",
      roomCode: this.code,
      userId: identity.userId,
      isHost: identity.userId === this.hostUserId,
      hostId: this.hostUserId,
      protocolVersion: PROTOCOL_VERSION,
      serverTime: now,
      participants: this.participants(),
    });
    if (this.state && timeline.isTrackActive(this.state, now)) {
      this.sendTo(member, {
        type: "PLAY_SYNC",
        ...this.state.track,
        positionMs: timeline.positionAt(this.state, now),
        atServerMs: now,
        isPaused: timeline.isPausedAt(this.state, now),
      });
    }
    this.broadcast(
      { type: "user_joined", userId: identity.userId, name: identity.name, totalClients: this.members.size },
      member,
    );
    if (previousHost !== null && previousHost !== this.hostUserId) {
      this.broadcast({ type: "host_changed", hostId: this.hostUserId! }, member);
    }
    return member;
  }

  leave(member: Member): void {
    if (!this.members.delete(member.id)) return;
    this.broadcast({ type: "user_left", userId: member.identity.userId, totalClients: this.members.size });
    const hostStillHere = [...this.members.values()].some((other) => other.identity.userId === this.hostUserId);
    if (member.identity.userId === this.hostUserId && !hostStillHere && this.members.size > 0) {
      this.startHostGrace();
    }
    if (this.members.size === 0) this.events.onEmpty(this);
  }

  /** Applies a host command at a future server instant every client can reach in time. */
  control(member: Member, command: ControlMessage): void {
    const { userId, canControl } = member.identity;
    if (userId !== this.hostUserId && !canControl) {
      throw new ProtocolError("NOT_HOST", `only the host may send ${command.type}`);
    }
    const now = this.clock.now();
    const aimAt = now + this.leadMs();
    switch (command.type) {
      case "PLAY": {
        const { type: _type, positionMs = 0, ...track } = command;
        this.state = timeline.startTrack(track, positionMs, aimAt);
        this.broadcast({ type: "PLAY", ...track, startServerMs: aimAt, positionMs: timeline.positionAt(this.state, aimAt) });
        return;
      }
      case "TRACK_CHANGE": {
        this.state = timeline.startTrack(command.trackData, 0, aimAt);
        this.broadcast({ type: "TRACK_CHANGE", trackData: command.trackData, startServerMs: aimAt });
        return;
      }
      case "PAUSE": {
        const current = this.requireState();
        const at = timeline.effectiveInstant(current, aimAt);
        this.state = timeline.pause(current, now, at);
        this.broadcast({ type: "PAUSE", positionMs: timeline.positionAt(this.state, at), atServerMs: at });
        return;
      }
      case "RESUME": {
        const current = this.requireState();
        const at = timeline.effectiveInstant(current, aimAt);
        this.state = timeline.resume(current, now, at);
        this.broadcast({ type: "RESUME", positionMs: timeline.positionAt(this.state, at), startServerMs: at });
        return;
      }
      case "SEEK": {
        const current = this.requireState();
        const at = timeline.effectiveInstant(current, aimAt);
        this.state = timeline.seek(current, now, command.seekPositionMs, at);
        this.broadcast({
          type: "SEEK",
          seekPositionMs: timeline.positionAt(this.state, at),
          atServerMs: at,
          isPaused: timeline.isPausedAt(this.state, at),
        });
        return;
      }
      default: {
        const unhandled: never = command;
        throw new Error(`unhandled control message ${JSON.stringify(unhandled)}`);
      }
    }
  }

  /** Answers a clock probe; `t1` is when the frame arrived, `t2` is stamped as late as possible. */
  timePong(member: Member, t0: number, t1: number, rttMs: number | undefined): void {
    if (rttMs !== undefined) member.rttMs = rttMs;
    const t2 = this.clock.now();
    this.sendTo(member, {
      type: "time_pong",
      t0,
      t1,
      t2,
      serverTime: t2,
      playbackPosition: this.state ? timeline.positionAt(this.state, t2) : null,
    });
  }

  /** Compares a client's rendered position with the canonical one at the same server instant. */
  syncCheck(member: Member, check: ClientMessageOf<"sync_check">): void {
    const now = this.clock.now();
    if (Math.abs(check.clientTimeMs - now) > MAX_SYNC_CHECK_SKEW_MS) {
      throw new ProtocolError("INVALID_MESSAGE", "sync_check clientTimeMs is too far from server time");
    }
    if (!this.state || !timeline.isTrackActive(this.state, now) || timeline.isPausedAt(this.state, check.clientTimeMs)) {
      return;
    }
    const driftMs = check.clientPosMs - timeline.positionAt(this.state, check.clientTimeMs);
    if (Math.abs(driftMs) <= this.config.resyncThresholdMs) return;
    this.events.onResync?.(this, driftMs);
    this.sendTo(member, {
      type: "RESYNC",
      correctPosMs: timeline.positionAt(this.state, now),
      atServerMs: now,
      driftMs,
    });
  }

  recordRtt(member: Member, rttMs: number): void {
    member.rttMs = rttMs;
  }

  /** Lead time: the configured floor, or the slowest client's round trip plus margin, capped. */
  leadMs(): number {
    let worstRtt = 0;
    for (const member of this.members.values()) worstRtt = Math.max(worstRtt, member.rttMs ?? 0);
    return Math.min(this.config.maxLeadMs, Math.max(this.config.leadMs, worstRtt * 1.5 + 50));
  }

  participants(): Participant[] {
    const byUser = new Map<string, Participant>();
    for (const { identity } of this.members.values()) {
      byUser.set(identity.userId, { userId: identity.userId, name: identity.name, isHost: identity.userId === this.hostUserId });
    }
    return [...byUser.values()];
  }

  /** Closes every connection (server shutdown) without touching room state. */
  closeAll(code: number, reason: string): void {
    for (const member of this.members.values()) member.socket.close(code, reason);
  }

  dispose(): void {
    this.stopHostGrace();
  }

  private requireState(): timeline.Timeline {
    if (!this.state) throw new ProtocolError("NO_TRACK", "no track is loaded in this room");
    return this.state;
  }

  private startHostGrace(): void {
    this.stopHostGrace();
    this.cancelHostGrace = this.clock.setTimeout(() => {
      this.cancelHostGrace = null;
      const successor = this.members.values().next().value;
      if (!successor) return;
      this.hostUserId = successor.identity.userId;
      this.logger.info({ room: this.code, hostId: this.hostUserId }, "host promoted");
      this.broadcast({ type: "host_changed", hostId: this.hostUserId });
    }, this.config.hostGraceMs);
  }

  private stopHostGrace(): void {
    this.cancelHostGrace?.();
    this.cancelHostGrace = null;
  }

  private sendTo(member: Member, message: ServerMessage): void {
    member.socket.send(JSON.stringify(message));
  }

  /** Serialises once, then fans the same frame out to every member (but `except`). */
  private broadcast(message: ServerMessage, except?: Member): void {
    const frame = JSON.stringify(message);
    let fanOut = 0;
    for (const member of this.members.values()) {
      if (member !== except && member.socket.send(frame)) fanOut++;
    }
    this.events.onBroadcast?.(message.type, fanOut);
  }
}
