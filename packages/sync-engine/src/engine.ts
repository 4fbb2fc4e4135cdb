import { parseServerMessage, type ClientMessage, type QueueState, type ServerMessage } from "@sync-beats/protocol";
import { applyTimelineMessage, EMPTY_TIMELINE, pruneTimeline, stateAt, type Timeline, type TimelineMessage } from "@sync-beats/timeline";
import { ClockEstimator, DEFAULT_CLOCK_FILTER, serverTimeAt } from "./clock-estimator.js";
import { CommandLedger, type CommandWithoutId, type QueueCommandInput } from "./commands.js";
import { nextToPrefetch } from "./queue-prefetch.js";
import { ChatFeedState } from "./chat-feed.js";
import { EngineCalibration, openRawMicrophone, type CalibrationView } from "./calibration-run.js";
import { declaredJoinTiming } from "./join-timing.js";
import { ServerLink } from "./server-link.js";
import { ENGINE_TIMING, pingPeriodMs } from "./engine-timing.js";
import { MIN_SAMPLES_TO_START, Player } from "./player.js";
import { buildSnapshot, INITIAL_SNAPSHOT, nextRoom } from "./snapshot.js";
import { endFromClose, endFromError, type SessionEnd } from "./session-end.js";
import { createSystemClock } from "./system-clock.js";
import type {
  AudioOutput,
  Clock,
  ClosedReason,
  ConnectionState,
  Disposer,
  EngineError,
  RoomInfo,
  SyncEngine,
  SyncEngineOptions,
  SyncSnapshot,
  TrackInput,
} from "./types.js";
import { createWebAudioOutput } from "./web-audio-output.js";


class Engine implements SyncEngine {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly log: Pick<Console, "warn">;
  private readonly estimator: ClockEstimator;
  private audioOutput: AudioOutput | null;
  private player: Player | null = null;
  private unwatchAudio: Disposer | null = null;
  private readonly link: ServerLink;
  private connection: ConnectionState = { status: "idle" };
  private timers: Disposer[] = [];
  private room: RoomInfo | null = null;
  private timeline: Timeline = EMPTY_TIMELINE;
  private lastError: EngineError | null = null;
  private roomClosed: { reason: string } | null = null;
  private readonly commands: CommandLedger;
  private invalidFrames = 0;
  private resyncs = 0;
  private offsetMs: number;
  private snapshot: SyncSnapshot = INITIAL_SNAPSHOT;
  /** The room's queue as last announced; null until the room's queue ever changed. */
  private roomQueue: QueueState | null = null;
  private readonly listeners = new Set<() => void>();
  /** Chat, reactions and moderation [CH*]: state of its own, so a chat line never rebuilds the snapshot. */
  readonly chat: ChatFeedState;
  private readonly calibration: EngineCalibration;

  constructor(private readonly options: SyncEngineOptions) {
    this.clock = options.clock ?? createSystemClock();
    this.random = options.random ?? Math.random;
    this.log = options.logger ?? console;
    this.estimator = new ClockEstimator(300, options.algorithm === "naive", {
      ...DEFAULT_CLOCK_FILTER,
      timerQuantumMs: this.clock.resolutionMs ?? 0,
    });
    this.audioOutput = options.audio ?? null;
    this.offsetMs = options.outputLatencyOffsetMs ?? 0;
    this.commands = new CommandLedger(this.random);
    this.chat = new ChatFeedState(Math.floor(this.random() * 36 ** 6).toString(36), (message) => this.send(message));
    this.link = new ServerLink({
      url: options.syncUrl,
      roomCode: options.roomCode,
      createSocket: options.createSocket,
      getJoinCredentials: options.getJoinCredentials,
      joinTiming: () => declaredJoinTiming(this.audioOutput, this.clock.now()),
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
      audio: () => this.audio,
      bridge: () => this.player?.bridge() ?? null,
      openMicrophone: options.openMicrophone ?? openRawMicrophone,
      send: (message) => this.send(message),
      newCommandId: () => this.calibrationCommandId(),
      applyCorrection: (ms) => this.setOutputLatencyOffsetMs(this.offsetMs + ms),
      onChange: () => this.emit(),
    });
    this.snapshot = this.build();
  }

  // ── audio ───────────────────────────────────────────────────────────────
  private get audio(): AudioOutput {
    this.audioOutput ??= createWebAudioOutput();
    return this.audioOutput;
  }

  private get playback(): Player {
    if (!this.player) {
      this.player = new Player({
        audio: this.audio,
        clock: this.clock,
        algorithm: this.options.algorithm ?? "precise",
        clockEstimate: () => this.estimator.estimate(),
        onChange: () => this.emit(),
        onLoadError: (url, error) => this.fail("LOAD_FAILED", `could not load ${url}: ${String(error)}`),
      });
      this.player.setOutputLatencyOffsetMs(this.offsetMs);
      this.unwatchAudio = this.audio.onStateChange(() => {
        this.player?.reconcile();
        this.emit();
      });
    }
    return this.player;
  }

  // ── lifecycle ───────────────────────────────────────────────────────────
  connect(): void {
    if (this.connection.status !== "idle" && this.connection.status !== "closed") return;
    const player = this.playback;
    this.timers.push(this.clock.setInterval(() => player.sampleAudioClock(), ENGINE_TIMING.audioSamplePeriodMs));
    this.timers.push(this.clock.setInterval(() => this.controlTick(), ENGINE_TIMING.controlPeriodMs));
    this.link.start();
  }

  disconnect(): void {
    this.halt("disconnected");
  }

  /** Closes the connection for `reason` and stops audio and every timer. */
  private halt(reason: ClosedReason): void {
    this.link.stop(reason);
    this.calibration.stop();
    for (const dispose of this.timers) dispose();
    this.timers = [];
    this.player?.stop();
    this.unwatchAudio?.();
    this.unwatchAudio = null;
    this.player = null;
    // An injected output belongs to the caller; one the engine made is released (a new one is
    // made on the next connect).
    if (!this.options.audio) {
      this.audioOutput?.dispose();
      this.audioOutput = null;
    }
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
    this.dispatch(parsed.message, this.clock.now());
  }

  private dispatch(message: ServerMessage, receivedAt: number): void {
    switch (message.type) {
      case "time_pong": {
        const samples = this.estimator.add({ t0: message.t0, t1: message.t1, t2: message.t2, t3: receivedAt })?.samples ?? 0;
        // An estimate good enough to start on unblocks what waited for it (a PLAY_SYNC on join).
        if (samples <= MIN_SAMPLES_TO_START) this.player?.reconcile();
        return this.emit();
      }
      case "joined":
        this.calibration.joined(message.connectionId);
        return this.onJoined(message);
      case "calibration_schedule":
      case "calibration_done":
      case "calibration_abandoned":
        return this.calibration.onMessage(message);
      case "user_joined":
      case "user_left":
      case "host_changed":
      case "room_updated":
        this.room = nextRoom(this.room, message);
        return this.emit();
      case "command_accepted":
        if (this.commands.accepted(message.id)) this.emit();
        else this.chat.answered(message.id, null);
        return;
      case "command_refused":
        if (this.calibration.refused(message)) return this.emit();
        if (this.commands.refused(message.id, message.code, message.message, this.clock.now())) this.emit();
        else this.chat.answered(message.id, { code: message.code, message: message.message });
        return;
      case "queue":
        return this.onQueue(message);
      case "reaction":
      case "chat_message":
      case "chat_history":
      case "chat_removed":
        return this.chat.receive(message);
      case "room_closed":
        return this.end({ reason: "room closed", error: null, roomClosed: { reason: message.reason } });
      case "error": {
        // A final error comes right before the server's close: ending now makes that close stale.
        const end = endFromError(message.code, message.message);
        return end ? this.end(end) : this.fail(message.code, message.message);
      }
      default:
        // The rest are timeline messages (a new message type fails to compile here until handled).
        if (message.type === "RESYNC") this.resyncs += 1;
        return this.applyTimeline(message);
    }
  }

  private onJoined(message: Extract<ServerMessage, { type: "joined" }>): void {
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
    if (next) this.playback.preload(next);
    this.emit();
  }

  private applyTimeline(message: TimelineMessage): void {
    const next = applyTimelineMessage(this.timeline, message);
    if (next === this.timeline) return;
    this.timeline = next;
    for (const anchor of next.anchors) this.playback.preload(anchor.track.audioUrl);
    this.playback.setTimeline(next);
    this.emit();
  }

  // ── periodic ────────────────────────────────────────────────────────────
  private ping(): void {
    this.send({ type: "time_ping", t0: this.clock.now() });
  }

  private syncCheck(): void {
    const rendered = this.player?.renderedNow();
    if (!rendered || rendered.serverMs < 0) return;
    this.send({ type: "sync_check", clientPosMs: rendered.positionMs, clientTimeMs: rendered.serverMs });
  }

  private controlTick(): void {
    const serverNow = this.serverNow();
    if (serverNow !== null) this.timeline = pruneTimeline(this.timeline, serverNow - 60_000);
    this.player?.reconcile();
    this.emit();
  }

  // ── commands ────────────────────────────────────────────────────────────
  play(track: TrackInput, positionMs = 0): string | null {
    this.playback.preload(track.audioUrl);
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
    this.playback.preload(track.audioUrl);
    return this.command({ type: "TRACK_CHANGE", trackData: track });
  }

  queue(command: QueueCommandInput): string | null {
    if (command.type === "queue_play_now") {
      const item = this.roomQueue?.items.find((candidate) => candidate.id === command.itemId);
      if (item) this.playback.preload(item.track.audioUrl);
    }
    return this.command(command);
  }

  private command(command: CommandWithoutId): string | null {
    const id = this.commands.issue(command, (message) => this.send(message));
    if (id !== null) this.emit();
    return id;
  }

  async unlockAudio(): Promise<void> {
    const player = this.playback;
    await this.audio.unlock();
    player.retryFailedLoads();
    for (const anchor of this.timeline.anchors) player.preload(anchor.track.audioUrl);
    player.reconcile();
    this.emit();
  }

  setOutputLatencyOffsetMs(ms: number): void {
    this.offsetMs = Number.isFinite(ms) ? ms : 0;
    this.player?.setOutputLatencyOffsetMs(this.offsetMs);
    this.emit();
  }

  playCalibrationClick(): void {
    if (!this.playback.playCalibrationClick()) this.fail("NOT_JOINED", "audio or clock not ready for the calibration click");
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
      audio: this.audioOutput?.getState() ?? "locked",
      estimate: this.estimator.estimate(),
      player: this.player?.stats() ?? null,
      counters: { invalidFrames: this.invalidFrames, resyncs: this.resyncs, outputLatencyOffsetMs: this.offsetMs },
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
