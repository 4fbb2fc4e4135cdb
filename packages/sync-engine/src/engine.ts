import { parseServerMessage, type ClientMessage, type QueueState, type ServerMessage } from "@sync-beats/protocol";
import { applyTimelineMessage, EMPTY_TIMELINE, pruneTimeline, stateAt, type Timeline, type TimelineMessage } from "@sync-beats/timeline";
import { ClockEstimator, DEFAULT_CLOCK_FILTER, serverTimeAt } from "./clock-estimator.js";
import { CommandLedger, type CommandWithoutId, type QueueCommandInput } from "./commands.js";
import { nextToPrefetch } from "./queue-prefetch.js";
import { ChatFeedState } from "./chat-feed.js";
import { EngineCalibration, openRawMicrophone, type CalibrationView } from "./calibration-run.js";
import { declaredJoinTiming } from "./join-timing.js";
import { ServerLink } from "./server-link.js";
import { EngineAudio } from "./engine-audio.js";
import { ENGINE_TIMING, pingPeriodMs } from "./engine-timing.js";
import { clockReadyToStart } from "./player.js";
import { buildSnapshot, INITIAL_SNAPSHOT, nextRoom } from "./snapshot.js";
import { endFromClose, type SessionEnd } from "./session-end.js";
import { dispatchServerMessage, type EngineInbox } from "./engine-dispatch.js";
import { createSystemClock } from "./system-clock.js";
import type {
  Clock,
  ClosedReason,
  ConnectionState,
  EngineError,
  RoomInfo,
  SyncEngine,
  SyncEngineOptions,
  SyncSnapshot,
  TrackInput,
} from "./types.js";


class Engine implements SyncEngine {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly log: Pick<Console, "warn">;
  private readonly estimator: ClockEstimator;
  private readonly sound: EngineAudio;
  private readonly link: ServerLink;
  private connection: ConnectionState = { status: "idle" };
  private room: RoomInfo | null = null;
  private timeline: Timeline = EMPTY_TIMELINE;
  private lastError: EngineError | null = null;
  private roomClosed: { reason: string } | null = null;
  private readonly commands: CommandLedger;
  private invalidFrames = 0;
  private resyncs = 0;
  private snapshot: SyncSnapshot = INITIAL_SNAPSHOT;
  /** The room's queue as last announced; null until the room's queue ever changed. */
  private roomQueue: QueueState | null = null;
  private readonly listeners = new Set<() => void>();
  /** Chat, reactions and moderation [CH*]: state of its own, so a chat line never rebuilds the snapshot. */
  readonly chat: ChatFeedState;
  private readonly calibration: EngineCalibration;
  private readonly inbox: EngineInbox;

  constructor(private readonly options: SyncEngineOptions) {
    this.clock = options.clock ?? createSystemClock();
    this.random = options.random ?? Math.random;
    this.log = options.logger ?? console;
    this.estimator = new ClockEstimator(300, options.algorithm === "naive", {
      ...DEFAULT_CLOCK_FILTER,
      timerQuantumMs: this.clock.resolutionMs ?? 0,
    });
    this.sound = new EngineAudio({
      clock: this.clock,
      audio: options.audio,
      algorithm: options.algorithm ?? "precise",
      outputLatencyOffsetMs: options.outputLatencyOffsetMs ?? 0,
      clockEstimate: () => this.estimator.estimate(),
      onChange: () => this.emit(),
      onLoadError: (url, error) => this.fail("LOAD_FAILED", `could not load ${url}: ${String(error)}`),
    });
    this.commands = new CommandLedger(this.random);
    this.chat = new ChatFeedState(Math.floor(this.random() * 36 ** 6).toString(36), (message) => this.send(message));
    this.link = new ServerLink({
      url: options.syncUrl,
      roomCode: options.roomCode,
      createSocket: options.createSocket,
      getJoinCredentials: options.getJoinCredentials,
      joinTiming: () => declaredJoinTiming(this.sound.existingOutput, this.clock.now()),
      clock: this.clock,
      random: this.random,
      onState: (state) => {
        this.connection = state;
        // Answers come only on the socket a command went out on.
        if (state.status !== "joined") {
          this.commands.socketGone();
          this.chat.socketGone();
        }
        this.emit();
      },
      onFrame: (data) => this.onFrame(data),
      onFailure: (code, message) => this.fail(code, message),
      onFinalClose: (reason, closeReason) => this.end(endFromClose(reason, closeReason)),
    });
    this.calibration = new EngineCalibration({
      clock: this.clock,
      audio: () => this.sound.audio,
      bridge: () => this.sound.existingPlayer?.bridge() ?? null,
      openMicrophone: options.openMicrophone ?? openRawMicrophone,
      send: (message) => this.send(message),
      newCommandId: () => this.calibrationCommandId(),
      applyCorrection: (ms) => this.setOutputLatencyOffsetMs(this.sound.outputLatencyOffsetMs + ms),
      onChange: () => this.emit(),
    });
    this.inbox = {
      clockSample: (sample) => {
        const waiting = !clockReadyToStart(this.estimator.estimate());
        this.estimator.add(sample);
        // An estimate good enough to start on unblocks what waited for it (a PLAY_SYNC on join).
        if (waiting) this.sound.existingPlayer?.reconcile();
        this.emit();
      },
      joined: (message) => this.onJoined(message),
      roomChanged: (message) => {
        this.room = nextRoom(this.room, message);
        this.emit();
      },
      calibration: this.calibration,
      commands: this.commands,
      chat: this.chat,
      queue: (message) => this.onQueue(message),
      timeline: (message) => {
        if (message.type === "RESYNC") this.resyncs += 1;
        this.applyTimeline(message);
      },
      end: (end) => this.end(end),
      fail: (code, message) => this.fail(code, message),
      changed: () => this.emit(),
      now: () => this.clock.now(),
    };
    this.snapshot = this.build();
  }

  // ── lifecycle ───────────────────────────────────────────────────────────
  connect(): void {
    if (this.connection.status !== "idle" && this.connection.status !== "closed") return;
    this.sound.start(() => this.controlTick());
    this.link.start();
  }

  disconnect(): void {
    this.halt("disconnected");
  }

  /** Closes the connection for `reason` and stops audio and every timer. */
  private halt(reason: ClosedReason): void {
    this.link.stop(reason);
    this.calibration.stop();
    this.sound.release();
    this.emit();
  }

  /** Stops for good: reports why, then halts. */
  private end(end: SessionEnd): void {
    if (end.error) this.lastError = { ...end.error, atMs: this.clock.now() };
    this.roomClosed ??= end.roomClosed;
    this.halt(end.reason);
  }

  // ── incoming ────────────────────────────────────────────────────────────
  private onFrame(data: unknown): void {
    const parsed = typeof data === "string" ? parseServerMessage(data) : null;
    if (!parsed?.ok) {
      this.invalidFrames += 1;
      this.log.warn(`[sync-engine] dropped invalid frame: ${parsed ? parsed.message : "non-text frame"}`);
      return this.emit();
    }
    dispatchServerMessage(this.inbox, parsed.message, this.clock.now());
  }

  private onJoined(message: Extract<ServerMessage, { type: "joined" }>): void {
    this.calibration.joined(message.connectionId);
    this.room = nextRoom(this.room, message);
    this.link.markJoined();
    const { clock, link } = this;
    const joinedAt = clock.now();
    const next = () => {
      this.ping();
      link.sessionTimer(clock.setTimeout(next, pingPeriodMs(clock.now() - joinedAt)));
    };
    next();
    link.sessionTimer(clock.setInterval(() => this.syncCheck(), ENGINE_TIMING.syncCheckPeriodMs));
  }

  /** The room's queue: kept for the snapshot, and its head prefetched so the server advance is gapless [Q8]. */
  private onQueue(message: Extract<ServerMessage, { type: "queue" }>): void {
    const { type: _type, ...queue } = message;
    this.roomQueue = queue;
    const next = nextToPrefetch(queue);
    if (next) this.sound.player.preload(next);
    this.emit();
  }

  private applyTimeline(message: TimelineMessage): void {
    const next = applyTimelineMessage(this.timeline, message);
    if (next === this.timeline) return;
    this.timeline = next;
    for (const anchor of next.anchors) this.sound.player.preload(anchor.track.audioUrl);
    this.sound.player.setTimeline(next);
    this.emit();
  }

  // ── periodic ────────────────────────────────────────────────────────────
  private ping(): void {
    this.send({ type: "time_ping", t0: this.clock.now() });
  }

  private syncCheck(): void {
    const rendered = this.sound.existingPlayer?.renderedNow();
    if (!rendered || rendered.serverMs < 0) return;
    this.send({ type: "sync_check", clientPosMs: rendered.positionMs, clientTimeMs: rendered.serverMs });
  }

  private controlTick(): void {
    const serverNow = this.serverNow();
    if (serverNow !== null) this.timeline = pruneTimeline(this.timeline, serverNow - 60_000);
    this.sound.existingPlayer?.reconcile();
    this.emit();
  }

  // ── commands ────────────────────────────────────────────────────────────
  play(track: TrackInput, positionMs = 0): string | null {
    this.sound.player.preload(track.audioUrl);
    return this.command({ type: "PLAY", ...track, positionMs });
  }

  pause(): string | null {
    return this.command({ type: "PAUSE", positionMs: this.getPositionMs() });
  }

  resume(): string | null {
    return this.command({ type: "RESUME" });
  }

  seek(positionMs: number): string | null {
    return this.command({ type: "SEEK", seekPositionMs: Math.max(0, positionMs) });
  }

  trackChange(track: TrackInput): string | null {
    this.sound.player.preload(track.audioUrl);
    return this.command({ type: "TRACK_CHANGE", trackData: track });
  }

  queue(command: QueueCommandInput): string | null {
    if (command.type === "queue_play_now") {
      const item = this.roomQueue?.items.find((candidate) => candidate.id === command.itemId);
      if (item) this.sound.player.preload(item.track.audioUrl);
    }
    return this.command(command);
  }

  private command(command: CommandWithoutId): string | null {
    const id = this.commands.issue(command, (message) => this.send(message));
    if (id !== null) this.emit();
    return id;
  }

  async unlockAudio(): Promise<void> {
    await this.sound.unlock(this.timeline);
    this.emit();
  }

  setOutputLatencyOffsetMs(ms: number): void {
    this.sound.setOutputLatencyOffsetMs(ms);
    this.emit();
  }

  playCalibrationClick(): void {
    if (!this.sound.player.playCalibrationClick()) this.fail("NOT_JOINED", "audio or clock not ready for the calibration click");
  }

  calibrate(measuringUserId?: string): string | null {
    const id = this.calibrationCommandId();
    if (!this.send({ type: "calibration_start", id, ...(measuringUserId ? { measuringUserId } : {}) })) return null;
    this.calibration.started(id);
    return id;
  }

  private calibrationCommandId(): string {
    return `cal-${Math.floor(this.random() * 2 ** 48).toString(36)}`;
  }

  getCalibration(): CalibrationView {
    return this.calibration.state;
  }

  private send(message: ClientMessage): boolean {
    const sent = this.link.send(message);
    if (!sent && message.type !== "time_ping" && message.type !== "sync_check") {
      this.fail("NOT_JOINED", `not connected: ${message.type} not sent`);
    }
    return sent;
  }

  // ── state ───────────────────────────────────────────────────────────────
  private serverNow(): number | null {
    const est = this.estimator.estimate();
    return est ? serverTimeAt(est, this.clock.now()) : null;
  }

  getPositionMs(): number {
    const serverNow = this.serverNow();
    return serverNow === null ? 0 : (stateAt(this.timeline, serverNow)?.positionMs ?? 0);
  }

  private fail(code: EngineError["code"], message: string): void {
    this.lastError = { code, message, atMs: this.clock.now() };
    this.emit();
  }

  private build(): SyncSnapshot {
    return buildSnapshot({
      connection: this.connection,
      room: this.room,
      timeline: this.timeline,
      serverNow: this.serverNow(),
      localNow: this.clock.now(),
      audio: this.sound.existingOutput?.getState() ?? "locked",
      estimate: this.estimator.estimate(),
      player: this.sound.existingPlayer?.stats() ?? null,
      counters: { invalidFrames: this.invalidFrames, resyncs: this.resyncs, outputLatencyOffsetMs: this.sound.outputLatencyOffsetMs },
      lastError: this.lastError,
      roomClosed: this.roomClosed,
      commands: this.commands.state(),
      queue: this.roomQueue,
    });
  }

  private emit(): void {
    this.snapshot = this.build();
    for (const listener of [...this.listeners]) listener();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  getSnapshot(): SyncSnapshot {
    return this.snapshot;
  }
}

/** Creates a sync engine over the injected socket, clock and audio output. Call `connect()` to start. */
export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  return new Engine(options);
}
