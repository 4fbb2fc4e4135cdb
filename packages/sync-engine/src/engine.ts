import { CloseCode, PROTOCOL_VERSION, parseServerMessage, type ClientMessage, type ServerMessage } from "@sync-beats/protocol";
import { backoffDelayMs } from "./backoff.js";
import { ClockEstimator, serverTimeAt } from "./clock-estimator.js";
import { Player } from "./player.js";
import { buildSnapshot, INITIAL_SNAPSHOT, nextRoom } from "./snapshot.js";
import { createSystemClock } from "./system-clock.js";
import { applyTimelineMessage, EMPTY_TIMELINE, pruneTimeline, stateAt, type Timeline, type TimelineMessage } from "./timeline.js";
import type {
  AudioOutput,
  Clock,
  ConnectionState,
  Disposer,
  EngineError,
  RoomInfo,
  SyncEngine,
  SyncEngineOptions,
  SyncSnapshot,
  SyncSocket,
  TrackInput,
} from "./types.js";
import { createWebAudioOutput } from "./web-audio-output.js";

/** Engine timing (ms). */
export const ENGINE_TIMING = {
  /** Pings right after joining, this far apart: in sync within about a second. */
  burstCount: 10,
  burstGapMs: 100,
  /** Then one ping per period. */
  pingPeriodMs: 3_000,
  syncCheckPeriodMs: 2_000,
  controlPeriodMs: 250,
  /** Speaker timestamp pairs for the audio clock fit (cheap; more pairs, tighter fit). */
  audioSamplePeriodMs: 25,
  /** A connection joined this long resets the backoff. */
  stableMs: 10_000,
  /** Consecutive 4001 closes (each with freshly fetched credentials) before giving up. */
  maxUnauthorized: 3,
} as const;

class Engine implements SyncEngine {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly log: Pick<Console, "warn">;
  private readonly estimator: ClockEstimator;
  private audioOutput: AudioOutput | null;
  private player: Player | null = null;
  private socket: SyncSocket | null = null;
  private connection: ConnectionState = { status: "idle" };
  private attempt = 0;
  private unauthorized = 0;
  private timers: Disposer[] = [];
  private sessionTimers: Disposer[] = [];
  private room: RoomInfo | null = null;
  private timeline: Timeline = EMPTY_TIMELINE;
  private lastError: EngineError | null = null;
  private invalidFrames = 0;
  private resyncs = 0;
  private offsetMs: number;
  private snapshot: SyncSnapshot = INITIAL_SNAPSHOT;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: SyncEngineOptions) {
    this.clock = options.clock ?? createSystemClock();
    this.random = options.random ?? Math.random;
    this.log = options.logger ?? console;
    this.estimator = new ClockEstimator(200, options.algorithm === "naive");
    this.audioOutput = options.audio ?? null;
    this.offsetMs = options.outputLatencyOffsetMs ?? 0;
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
      this.audio.onStateChange(() => {
        this.player?.reconcile();
        this.emit();
      });
    }
    return this.player;
  }

  // ── lifecycle ───────────────────────────────────────────────────────────
  connect(): void {
    if (this.connection.status !== "idle" && this.connection.status !== "closed") return;
    this.attempt = 0;
    this.unauthorized = 0;
    const player = this.playback;
    this.every(ENGINE_TIMING.audioSamplePeriodMs, () => player.sampleAudioClock());
    this.every(ENGINE_TIMING.controlPeriodMs, () => this.controlTick());
    this.open();
  }

  disconnect(): void {
    this.setConnection({ status: "closed", reason: "disconnected" });
    this.dropSocket(1000, "client disconnect");
    for (const dispose of this.timers) dispose();
    this.timers = [];
    this.player?.stop();
    this.emit();
  }

  private every(ms: number, fn: () => void, bucket: Disposer[] = this.timers): void {
    bucket.push(this.clock.setInterval(fn, ms));
  }

  private open(): void {
    const socket = this.options.createSocket(this.options.syncUrl);
    this.socket = socket;
    this.setConnection({ status: "connecting", attempt: this.attempt });
    socket.onopen = () => void this.onOpen(socket);
    socket.onmessage = (event) => this.socket === socket && this.onFrame(event.data);
    socket.onclose = (event) => this.socket === socket && this.onClose(event.code, event.reason);
    socket.onerror = () => undefined; // a close event always follows; it decides what to do
  }

  private async onOpen(socket: SyncSocket): Promise<void> {
    if (this.socket !== socket) return;
    this.setConnection({ status: "joining", attempt: this.attempt });
    let credentials;
    try {
      credentials = await this.options.getJoinCredentials();
    } catch (error) {
      if (this.socket !== socket) return;
      this.fail("CREDENTIALS", `could not get join credentials: ${String(error)}`);
      socket.close(4003, "no credentials");
      return this.onClose(4003, "no credentials");
    }
    if (this.socket !== socket) return;
    this.send({ type: "join", roomCode: this.options.roomCode, protocolVersion: PROTOCOL_VERSION, ...credentials });
  }

  private onClose(code: number, reason: string): void {
    this.dropSocket();
    if (code === CloseCode.PROTOCOL_MISMATCH) {
      this.fail("PROTOCOL_MISMATCH", reason || "protocol version mismatch: reload the page");
      return this.setConnection({ status: "closed", reason: "protocol mismatch" });
    }
    this.unauthorized = code === CloseCode.UNAUTHORIZED ? this.unauthorized + 1 : 0;
    if (this.unauthorized >= ENGINE_TIMING.maxUnauthorized) {
      this.fail("UNAUTHORIZED", reason || "not allowed to join this room");
      return this.setConnection({ status: "closed", reason: "unauthorized" });
    }
    const delay = backoffDelayMs(this.attempt, this.random);
    this.setConnection({ status: "backoff", attempt: this.attempt, retryAtMs: this.clock.now() + delay });
    const retry = this.clock.setTimeout(() => {
      this.attempt += 1;
      this.open();
    }, delay);
    this.sessionTimers.push(retry);
  }

  /** Forgets the current socket (closing it if asked) and every per-connection timer. */
  private dropSocket(code?: number, reason?: string): void {
    const socket = this.socket;
    this.socket = null;
    if (socket && code !== undefined) socket.close(code, reason);
    for (const dispose of this.sessionTimers) dispose();
    this.sessionTimers = [];
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
      case "time_pong":
        this.estimator.add({ t0: message.t0, t1: message.t1, t2: message.t2, t3: receivedAt });
        return this.emit();
      case "joined":
        return this.onJoined(message);
      case "user_joined":
      case "user_left":
      case "host_changed":
        this.room = nextRoom(this.room, message);
        return this.emit();
      case "error":
        return this.fail(message.code, message.message);
      default:
        // The rest are timeline messages (a new message type fails to compile here until handled).
        if (message.type === "RESYNC") this.resyncs += 1;
        return this.applyTimeline(message);
    }
  }

  private onJoined(message: Extract<ServerMessage, { type: "joined" }>): void {
    this.room = nextRoom(this.room, message);
    this.unauthorized = 0;
    this.setConnection({ status: "joined", sinceMs: this.clock.now() });
    const stable = this.clock.setTimeout(() => (this.attempt = 0), ENGINE_TIMING.stableMs);
    this.sessionTimers.push(stable);
    for (let i = 0; i < ENGINE_TIMING.burstCount; i++) {
      this.sessionTimers.push(this.clock.setTimeout(() => this.ping(), i * ENGINE_TIMING.burstGapMs));
    }
    this.every(ENGINE_TIMING.pingPeriodMs, () => this.ping(), this.sessionTimers);
    this.every(ENGINE_TIMING.syncCheckPeriodMs, () => this.syncCheck(), this.sessionTimers);
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
    const best = this.estimator.estimate()?.bestDelayMs;
    this.send({ type: "time_ping", t0: this.clock.now(), ...(best === undefined ? {} : { rttMs: best }) });
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
  play(track: TrackInput, positionMs = 0): void {
    this.playback.preload(track.audioUrl);
    this.send({ type: "PLAY", ...track, positionMs });
  }

  pause(): void {
    this.send({ type: "PAUSE", positionMs: this.getPositionMs() });
  }

  resume(): void {
    this.send({ type: "RESUME" });
  }

  seek(positionMs: number): void {
    this.send({ type: "SEEK", seekPositionMs: Math.max(0, positionMs) });
  }

  trackChange(track: TrackInput): void {
    this.playback.preload(track.audioUrl);
    this.send({ type: "TRACK_CHANGE", trackData: track });
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

  private send(message: ClientMessage): void {
    const socket = this.socket;
    const joined = this.connection.status === "joined";
    if (!socket || (!joined && message.type !== "join")) {
      if (message.type !== "time_ping" && message.type !== "sync_check") this.fail("NOT_JOINED", `not connected: ${message.type} not sent`);
      return;
    }
    socket.send(JSON.stringify(message));
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

  private setConnection(connection: ConnectionState): void {
    this.connection = connection;
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
