import { CloseCode, type ClientMessageOf, type ControlMessage, type QueueMessage, type ServerMessage } from "@sync-beats/protocol";
import { joinMessages, positionAt, resyncFor } from "@sync-beats/timeline";
import type { Logger } from "pino";
import {
  type Backplane,
  EMPTY_ROOM_STATE,
  type PresenceEntry,
  type RoomEnvelope,
  type SharedRoomState,
  type Transition,
} from "./backplane.js";
import { newlyRemoved } from "./chat-rules.js";
import { type ChatStore, createMemoryChatStore } from "./chat-store.js";
import { RoomCalibration } from "./calibration.js";
import type { ClientSocket } from "./client-socket.js";
import type { Clock } from "./clock.js";
import { ProtocolError, viaBackplane } from "./errors.js";
import { HostGrace } from "./host-grace.js";
import type { Identity } from "./identity.js";
import { QueueScheduler } from "./queue-scheduler.js";
import { applyQueueCommand, type QueueCommandContext, queueMessage, withQueueFollowing } from "./queue-transitions.js";
import { admit, applyControl, isClosedFor, promoteSuccessor, publicFacts } from "./room-transitions.js";
import { catchUpMessages } from "./room-catch-up.js";
import { RoomChat } from "./room-chat.js";
import { timePongFrame } from "./pong-frame.js";
import { roomLeadMs, type JoinTiming } from "./lead-sizing.js";
import { guestMark, type Member, participantsOf } from "./room-member.js";

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
  /** How long before a track's end the room announces the next queue item [Q8]; default {@link DEFAULT_QUEUE_LOOKAHEAD_MS}. */
  queueLookaheadMs?: number;
}

export interface RoomEvents {
  onEmpty(room: Room): void;
  onResync?(driftMs: number): void;
  /** A frame reached this node's members: how many, and how long since the origin published it. */
  onFanOut?(fanOut: number, latencyMs: number): void;
}

/**
 * Long enough for every member to hear of the next item and schedule its first sample on the audio
 * clock (the engine schedules 1.5 s ahead), short enough that a late reorder still counts.
 */
export const DEFAULT_QUEUE_LOOKAHEAD_MS = 3_000;

/** A `sync_check` about an instant further than this from now is not a drift report but garbage. */
const MAX_SYNC_CHECK_SKEW_MS = 30_000;

let nextMemberNumber = 1;

/**
 * This node's view of a room: its local members, and a copy of the shared state kept current by
 * the backplane. Every change goes through the backplane, so the same code serves one process or
 * many over Redis. All time comes from the injected {@link Clock}.
 */
export class Room {
  private readonly members = new Map<string, Member>();
  private state: SharedRoomState = EMPTY_ROOM_STATE;
  /** False once disposed (unsubscribed): the room no longer follows the backplane. */
  private open = true;
  private readonly hostGrace: HostGrace;
  private readonly subscription: Promise<() => Promise<void>>;
  private readonly queueScheduler: QueueScheduler;
  /** Chat, reactions and the owner's moderation [CH*]. */
  readonly chat: RoomChat;
  /** Acoustic calibration runs (issue 15), kept in their own module. */
  readonly calibration: RoomCalibration;

  constructor(
    readonly code: string,
    private readonly clock: Clock,
    private readonly config: RoomConfig,
    private readonly backplane: Backplane,
    private readonly events: RoomEvents,
    private readonly logger: Logger,
    chatStore: ChatStore = createMemoryChatStore(),
  ) {
    this.queueScheduler = new QueueScheduler({
      clock,
      lookaheadMs: config.queueLookaheadMs ?? DEFAULT_QUEUE_LOOKAHEAD_MS,
      leadMs: () => this.leadMs(),
      commit: (transition) => this.commit(transition),
      logger,
      roomCode: code,
    });
    this.hostGrace = new HostGrace(clock, config.hostGraceMs, () => this.promoteSuccessor());
    this.chat = new RoomChat(code, clock, backplane, chatStore, () => this.state);
    this.subscription = backplane.subscribe(
      code,
      (envelope) => this.receive(envelope),
      () => void this.catchUp(),
    );
    this.calibration = new RoomCalibration({
      clock,
      leadMs: () => this.leadMs(),
      hostUserId: () => this.state.hostUserId,
      localMembers: () => this.members.values(),
      presence: () => viaBackplane(() => backplane.presence(code)),
      publish: (message) => viaBackplane(() => this.publish(message)),
    });
  }

  /** Members on this node. */
  get size(): number {
    return this.members.size;
  }

  get hostId(): string | null {
    return this.state.hostUserId;
  }

  positionAt(serverMs: number): number | null {
    return positionAt(this.state.timeline, serverMs);
  }

  /** Adds a member (refused when the room was deleted); `protocolVersion` is the one its join chose. */
  async join(socket: ClientSocket, identity: Identity, protocolVersion: number, timing: JoinTiming | null = null): Promise<Member> {
    await viaBackplane(() => this.subscription);
    const member: Member = {
      id: `${this.backplane.nodeId}:${nextMemberNumber++}`,
      socket,
      identity,
      rttMs: null,
      timing,
      delivery: { phase: "catching-up", held: [] },
    };
    this.members.set(member.id, member);
    let presence: PresenceEntry[];
    let chat: ServerMessage;
    try {
      // Read after the member is listed: a message sent meanwhile is held, never missed (maybe in both) [CH5].
      const [entries, history] = await Promise.all([viaBackplane(() => this.announceJoin(member)), this.chat.history()]);
      presence = entries;
      chat = { type: "chat_history", messages: history };
    } catch (error) {
      // Leave no ghost behind: it would buffer every broadcast and keep the room alive forever.
      this.members.delete(member.id);
      this.backplane.leave(this.code, member.id).catch(() => undefined);
      if (this.members.size === 0) this.events.onEmpty(this);
      throw error;
    }

    // No await from here on: the connection counts as joined before the client can answer `joined`.
    const now = this.clock.now();
    this.sendTo(member, {
      type: "joined",
      roomCode: this.code,
      userId: identity.userId,
      role: identity.userId === this.state.hostUserId ? "host" : "listener",
      hostId: this.state.hostUserId,
      room: publicFacts(this.state.facts),
      protocolVersion,
      serverTime: now,
      participants: participantsOf(presence, this.state),
      connectionId: member.id,
    });
    // The state now, then every command announced before this member joined but not yet in force.
    for (const message of joinMessages(this.state.timeline, now)) this.sendTo(member, message);
    if (this.state.queue.version > 0) this.sendTo(member, queueMessage(this.state.queue));
    this.sendTo(member, chat);
    if (member.delivery.phase === "catching-up") for (const frame of member.delivery.held) member.socket.send(frame);
    member.delivery = { phase: "live" };
    return member;
  }

  /** Presence, host claim and `user_joined`: everything the other nodes must hear of a join. */
  private async announceJoin(member: Member): Promise<PresenceEntry[]> {
    const { identity } = member;
    const presence = await this.backplane.join(this.code, { id: member.id, userId: identity.userId, name: identity.name, ...guestMark(identity.isGuest) });
    this.adopt(await this.backplane.transact(this.code, admit(identity, this.config.firstJoinerHosts, presence), this.state));
    if (identity.userId === this.state.hostUserId) this.hostGrace.stop();
    // A host who left an otherwise empty room: the grace runs from this join, then a successor hosts.
    else if (this.state.hostUserId !== null && !presence.some((entry) => entry.userId === this.state.hostUserId)) this.hostGrace.startUnlessRunning();
    await this.publish(
      { type: "user_joined", userId: identity.userId, name: identity.name, totalClients: presence.length, ...guestMark(identity.isGuest) },
      member.id,
    );
    return presence;
  }

  async leave(member: Member): Promise<void> {
    if (!this.members.delete(member.id)) return;
    this.calibration.memberLeft(member.id);
    const presence = await this.backplane.leave(this.code, member.id);
    await this.publish({ type: "user_left", userId: member.identity.userId, totalClients: presence.length });
    const hostGone = !presence.some((entry) => entry.userId === this.state.hostUserId);
    if (member.identity.userId === this.state.hostUserId && hostGone && presence.length > 0) this.hostGrace.start();
    if (this.members.size === 0) this.events.onEmpty(this);
  }

  /**
   * Applies a playback command at a future server instant every member can reach in time;
   * resolves with that instant (the sender's `command_accepted`), or rejects with the refusal.
   */
  async control(member: Member, command: ControlMessage): Promise<number> {
    let atServerMs = Number.NaN;
    const now = () => this.clock.now();
    await this.commit(withQueueFollowing(applyControl(member.identity, command, now, this.leadMs(), (at) => (atServerMs = at)), now));
    return atServerMs;
  }

  /** Applies a queue command; resolves with the instant it takes effect, or rejects with the refusal [Q1]. */
  async queue(member: Member, command: QueueMessage, added?: QueueCommandContext["added"]): Promise<number> {
    let atServerMs = Number.NaN;
    const context: QueueCommandContext = { now: () => this.clock.now(), leadMs: this.leadMs(), added, onEffect: (at) => (atServerMs = at) };
    await this.commit(applyQueueCommand(member.identity, command, context));
    return atServerMs;
  }

  /** Runs a change through the backplane (an outage answers UNAVAILABLE) and adopts the result. */
  private async commit(transition: Transition): Promise<void> {
    this.adopt(await viaBackplane(() => this.backplane.transact(this.code, transition, this.state)));
  }

  /** Answers a clock probe; `t1` is when the frame arrived, `t2` is stamped as late as possible. */
  timePong(member: Member, t0: number, t1: number): void {
    const t2 = this.clock.now();
    member.socket.send(timePongFrame(t0, t1, t2, this.positionAt(t2)));
  }

  /** Compares a client's rendered position with the canonical one at the same server instant. */
  syncCheck(member: Member, check: ClientMessageOf<"sync_check">): void {
    const now = this.clock.now();
    if (Math.abs(check.clientTimeMs - now) > MAX_SYNC_CHECK_SKEW_MS) {
      throw new ProtocolError("INVALID_MESSAGE", "sync_check clientTimeMs is too far from server time");
    }
    const resync = resyncFor(this.state.timeline, check, now, this.config.resyncThresholdMs);
    if (!resync) return;
    this.events.onResync?.(resync.driftMs);
    this.sendTo(member, resync);
  }

  /** A round trip the server measured to `member` (never one the client reported). */
  recordRtt(member: Member, rttMs: number): void {
    member.rttMs = rttMs;
  }

  /** Lead time: this node's largest member need (measured round trip + declared margins), floored and capped [LS3]. */
  leadMs(): number {
    return roomLeadMs(this.members.values(), this.config);
  }

  /** Closes every local connection (server shutdown); the shared state stays in the backplane. */
  closeAll(code: number, reason: string): void {
    for (const member of this.members.values()) member.socket.close(code, reason);
  }

  async dispose(): Promise<void> {
    this.hostGrace.dispose();
    this.queueScheduler.cancel();
    this.calibration.dispose();
    this.open = false;
    const unsubscribe = await this.subscription;
    await unsubscribe();
  }

  private adopt(state: SharedRoomState): void {
    if (state.version < this.state.version) return;
    const wasClosed = isClosedFor(this.state, this.state.facts);
    const removed = newlyRemoved(this.state, state);
    this.state = state;
    if (this.open) this.queueScheduler.replan(state);
    // Whichever node ran the removal, every node sends that user's sockets away [CH8].
    for (const member of this.members.values()) {
      if (removed.has(member.identity.userId)) member.socket.close(CloseCode.REMOVED, "the room's owner removed you from this room");
    }
    // Whichever node ran the deletion, every node sends its own members away.
    if (!wasClosed && state.closedAtVersion !== null && isClosedFor(state, state.facts)) {
      this.closeAll(CloseCode.ROOM_CLOSED, "room deleted");
    }
  }

  /** After broadcasts were lost (the subscription dropped and came back): the stored state tells what was missed [RC8]. */
  private async catchUp(): Promise<void> {
    try {
      const before = this.state;
      const stored = await this.backplane.load(this.code);
      // A broadcast that arrived during the load is newer than the store's answer: members heard it,
      // so what they are told must not be older.
      const after = stored.version >= this.state.version ? stored : this.state;
      const messages = catchUpMessages(before, after, this.clock.now());
      this.adopt(after);
      for (const member of this.members.values()) {
        if (member.delivery.phase === "live") for (const message of messages) this.sendTo(member, message);
      }
      if (messages.length > 0) this.logger.info({ room: this.code, missed: after.version - before.version }, "caught up after missed broadcasts");
    } catch (error) {
      this.logger.warn({ err: error, room: this.code }, "catching up after missed broadcasts failed");
    }
  }

  private receive(envelope: RoomEnvelope): void {
    let fanOut = 0;
    // Encoded to UTF-8 once here, not once per member inside `ws` (which encodes every string it sends).
    const frames = envelope.frames.map((frame) => Buffer.from(frame));
    for (const member of this.members.values()) {
      if (member.id === envelope.exceptId) continue;
      for (const frame of frames) {
        if (member.delivery.phase === "catching-up") member.delivery.held.push(frame);
        else if (member.socket.send(frame)) fanOut++;
      }
    }
    // Adopted after the frames went out, so a `room_closed` reaches members before their sockets close.
    if (envelope.state) this.adopt(envelope.state);
    this.events.onFanOut?.(fanOut, this.clock.now() - envelope.sentAt);
  }

  private promoteSuccessor(): void {
    void this.backplane
      .presence(this.code)
      .then((presence) => this.backplane.transact(this.code, promoteSuccessor(presence), this.state))
      .then((state) => {
        this.adopt(state);
        this.logger.info({ room: this.code, hostId: state.hostUserId }, "host promoted");
      })
      .catch((error: unknown) => this.logger.error({ err: error, room: this.code }, "host promotion failed"));
  }

  private sendTo(member: Member, message: ServerMessage): void {
    member.socket.send(JSON.stringify(message));
  }

  /** Serialises once; every node sends the same string to its members. */
  private publish(message: ServerMessage, exceptId?: string): Promise<void> {
    return this.backplane.publish(this.code, { frames: [JSON.stringify(message)], exceptId });
  }
}
