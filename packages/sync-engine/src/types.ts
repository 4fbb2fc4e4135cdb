import type { DecodeStats } from "./stream/span-decode.js";
import type { CalibrationView } from "./calibration-run.js";
import type { Clock, Disposer } from "@sync-beats/clock";
import type { ErrorCode, MemberRole, Participant, QueueState, RoomFacts, TrackInfo } from "@sync-beats/protocol";
import type { CommandsState, QueueCommandInput } from "./commands.js";
import type { ChatFeed } from "./chat-feed.js";

export type { Clock, Disposer };

/** The subset of a WebSocket `close` event the engine reads. */
export interface SocketCloseEvent {
  readonly code: number;
  readonly reason: string;
}

/**
 * The minimal WebSocket-like object the engine drives. A browser `WebSocket` satisfies it, so
 * `createSocket: (url) => new WebSocket(url)` is the usual choice; tests pass an in-memory fake.
 */
export interface SyncSocket {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: SocketHandler<unknown> | null;
  onmessage: SocketHandler<{ readonly data: unknown }> | null;
  onclose: SocketHandler<SocketCloseEvent> | null;
  onerror: SocketHandler<unknown> | null;
}

/**
 * An event handler property. Declared through a method so its parameter is checked bivariantly,
 * which is what lets the DOM's `(this: WebSocket, ev: MessageEvent) => any` fit (React's trick).
 */
export type SocketHandler<E> = { bivarianceHack(event: E): void }["bivarianceHack"];

/** Identity for `join`: a ticket issued by the API, or (dev-identity mode) a claimed user. */
export type JoinCredentials = { ticket: string } | { userId: string; name?: string };

/** Whether the audio device can play: `locked` needs a user gesture ({@link SyncEngine.unlockAudio}). */
export type AudioState = "locked" | "suspended" | "running";

/**
 * One correspondence between the audio clock and the local clock: the sample the audio context
 * schedules at `contextTime` (seconds) leaves the speaker at local instant `localTimeMs`
 * (the {@link Clock} time base). From `getOutputTimestamp()` where available.
 */
export interface AudioTimestamp {
  readonly contextTime: number;
  readonly localTimeMs: number;
  /**
   * True where the engine made the pair up at the call (Firefox, SPEC OT2): `localTimeMs` is when
   * it was read, up to a render block after the speaker instant, never before; the audio clock map
   * fits such pairs along their lower edge (OT5).
   */
  readonly readLate?: boolean;
}

/**
 * The audio device as the engine sees it. Deliberately thin: scheduling, clock mapping and drift
 * maths live in the engine's pure modules. `createWebAudioOutput()` is the Web Audio version.
 * Times called `contextTime`/`when` are audio-context seconds; positions are track milliseconds.
 */
export interface AudioOutput {
  /** Current device state. */
  getState(): AudioState;
  /** Notifies every state change. */
  onStateChange(listener: (state: AudioState) => void): Disposer;
  /** Unlocks/resumes audio. Call it synchronously inside a user gesture (iOS requires it). */
  unlock(): Promise<void>;
  /** Fetches and decodes a track (cached by URL); resolves with its decoded duration. */
  load(url: string): Promise<{ readonly durationMs: number }>;
  /** The audio context's current time in seconds (what the render thread has reached). */
  currentTime(): number;
  /**
   * A speaker-side timestamp pair (`getOutputTimestamp()`, or `currentTime - outputLatency`
   * paired with now when that API is missing); null while the context is not running.
   */
  outputTimestamp(): AudioTimestamp | null;
  /**
   * Plays the loaded track `url` from `offsetMs` starting at context time `when` at `rate`.
   * Whatever played before stops at `when` (a seamless hand-over); a start still pending is
   * replaced. A `when` already past (the caller stalled) starts as soon as possible at the
   * position that belongs to that instant, and {@link renderedPositionMs} reports what really plays.
   */
  start(url: string, when: number, offsetMs: number, rate: number): void;
  /** Stops playback at context time `when` (now when omitted or past); cancels a pending start. */
  stop(when?: number): void;
  /** Changes the playback rate from context time `when` on (small drift nudges). */
  setRate(rate: number, when: number): void;
  /**
   * The track position (ms) the current source renders at context time `contextTime`, from its
   * start time, offset and rate history; null when nothing plays at that time.
   */
  renderedPositionMs(contextTime: number): number | null;
  /** Plays a short calibration click at context time `when`. */
  playClick(when: number): void;
  /** Plays mono samples (made for the context's rate) at context time `when`, through the music path. */
  playSignal?(samplesFor: (sampleRate: number) => Float32Array, when: number): void;
  /** Starts recording `stream` in this output's context (calibration's microphone). */
  capture?(stream: MediaStream): AudioCapture;
  /** Which output route plays (the context's `sinkId`; "default" when the browser cannot tell). */
  outputRoute?(): string;
  /**
   * How the open track `url` decodes (which decoder was chosen, SPEC M15, and per-span timings);
   * null for a track not open, a WAV or a whole-file decode.
   */
  trackDecoding?(url: string): Promise<DecodeStats | null>;
  /** Releases the device (closes the context). */
  dispose(): void;
}

/** A recording in progress; `stop` ends it and hands over what was recorded (once the recorder has flushed). */
export interface AudioCapture {
  stop(): Promise<CapturedAudio>;
}

/** Recorded mono samples; sample n was captured at context time `firstContextTime + n / sampleRate`. */
export interface CapturedAudio {
  readonly samples: Float32Array;
  readonly sampleRate: number;
  readonly firstContextTime: number;
}

/** Connection lifecycle, as a tagged union: each variant holds only what is valid in it. */
export type ConnectionState =
  | { readonly status: "idle" }
  | { readonly status: "connecting"; readonly attempt: number }
  | { readonly status: "joining"; readonly attempt: number }
  | { readonly status: "joined"; readonly sinceMs: number }
  | { readonly status: "backoff"; readonly attempt: number; readonly retryAtMs: number }
  | { readonly status: "closed"; readonly reason: ClosedReason };

/**
 * Why the connection stopped for good: the page disconnected, the server and the page share no
 * protocol version, the join was refused three times, or the owner deleted the room.
 */
export type ClosedReason = "disconnected" | "protocol mismatch" | "unauthorized" | "room closed" | "removed";

/**
 * What the server told us when we joined, kept current by user_joined/left, host_changed and
 * room_updated. `role` and the participants' roles follow `hostId`.
 */
export interface RoomInfo {
  readonly roomCode: string;
  readonly userId: string;
  readonly role: MemberRole;
  readonly hostId: string | null;
  /** The room's durable facts: name, owner, whether listeners may control playback. */
  readonly facts: RoomFacts;
  readonly participants: readonly Participant[];
}

/** One drift measurement for the debug chart. */
export interface DriftPoint {
  /** Local clock instant of the measurement (ms). */
  readonly atMs: number;
  /** Rendered position minus the canonical timeline position (ms); positive: ahead. */
  readonly driftMs: number;
}

/** Debug figures for the panel and the benchmark. */
export interface SyncStats {
  /** Best (minimum) round trip in the current window, ms; null before the first pong. */
  readonly rttMs: number | null;
  /** Estimated one-way latency (half the best RTT), ms. */
  readonly oneWayLatencyMs: number | null;
  /** Server clock minus local clock, ms, at the last estimate. */
  readonly serverOffsetMs: number | null;
  /** Server clock rate relative to the local clock, parts per million. */
  readonly skewPpm: number | null;
  /** Clock samples in the estimator window. */
  readonly clockSamples: number;
  /** Latest measured drift (rendered minus timeline), ms. */
  readonly driftMs: number | null;
  /** Drift measurements of the last 60 s, oldest first. */
  readonly driftHistory: readonly DriftPoint[];
  /** Current playback rate applied to the source. */
  readonly playbackRate: number;
  /** Audio clock rate relative to the local clock, ppm (from the audio clock fit). */
  readonly audioSkewPpm: number | null;
  /** Hard re-seeks done by the drift controller (and RESYNCs applied). */
  readonly hardSeeks: number;
  /** RESYNC frames received. */
  readonly resyncs: number;
  /** Frames that failed validation and were dropped. */
  readonly invalidFrames: number;
  /** The user's per-device output latency offset, ms. */
  readonly outputLatencyOffsetMs: number;
}

/** A protocol or engine error surfaced to the UI. */
export interface EngineError {
  /**
   * A server code, or the engine's own: `LOAD_FAILED` (a track would not load), `SOCKET`,
   * `CREDENTIALS` (no join credentials), `PROTOCOL_MISMATCH` (closed with 4000 without saying
   * which side is too old).
   */
  readonly code: ErrorCode | "LOAD_FAILED" | "SOCKET" | "CREDENTIALS" | "PROTOCOL_MISMATCH";
  readonly message: string;
  /** Local clock instant (ms). */
  readonly atMs: number;
}

/**
 * The immutable state the UI renders; a new object on every change (suitable for React's
 * `useSyncExternalStore`). For a smoothly moving position, extrapolate from `timeline` or call
 * {@link SyncEngine.getPositionMs} per animation frame.
 */
export interface SyncSnapshot {
  readonly connection: ConnectionState;
  /** Null until joined; kept after a disconnect so the UI does not flicker. */
  readonly room: RoomInfo | null;
  /** This member hosts (controls playback) now. */
  readonly isHost: boolean;
  /** This member may control playback now: the host, or any listener when the room allows it. */
  readonly canControl: boolean;
  /** Set once the owner deleted the room (the server's reason); the engine then stays closed. */
  readonly roomClosed: { readonly reason: string } | null;
  readonly participants: readonly Participant[];
  readonly track: TrackInfo | null;
  readonly isPaused: boolean;
  /** Timeline position (ms) at the snapshot's creation. */
  readonly positionMs: number;
  /** The timeline anchor: `positionMs` at local instant `atLocalMs`, advancing 1:1 unless paused. */
  readonly timeline: { readonly positionMs: number; readonly atLocalMs: number; readonly isPaused: boolean } | null;
  readonly audio: AudioState;
  /** True while the track is loading/decoding. */
  readonly loading: boolean;
  readonly stats: SyncStats;
  readonly lastError: EngineError | null;
  /** Commands in flight and the latest refusal (see {@link SyncEngine.play}). */
  readonly commands: CommandsState;
  /** The room's shared queue (items, now playing, whether it ran out); null until it ever changed. */
  readonly queue: QueueState | null;
}

/** `precise`: this package's filters and controllers. `naive`: the seed algorithm (the benchmark's baseline). */
export type SyncAlgorithm = "precise" | "naive";

/** A track to play: the protocol's track fields. */
export type TrackInput = TrackInfo;

/** Everything the engine touches, injected. */
export interface SyncEngineOptions {
  /** Sync server URL, e.g. `ws://localhost:6001`. */
  readonly syncUrl: string;
  readonly roomCode: string;
  /** Called on every (re)connect, so a fresh ticket is used each time. */
  readonly getJoinCredentials: () => Promise<JoinCredentials>;
  /** Opens a socket; usually `(url) => new WebSocket(url)`. */
  readonly createSocket: (url: string) => SyncSocket;
  /** Defaults to {@link createSystemClock} (performance.now + real timers). */
  readonly clock?: Clock;
  /**
   * Defaults to a Web Audio output made on `connect()` and disposed on `disconnect()` (browser
   * only). An injected output is never disposed by the engine.
   */
  readonly audio?: AudioOutput;
  /**
   * Opens the microphone for calibration (default: `getUserMedia` with echo cancellation, noise
   * suppression and auto gain off: they would reshape the very signal being timed).
   */
  readonly openMicrophone?: () => Promise<MediaStream>;
  /** Uniform [0, 1) for backoff jitter; defaults to Math.random. */
  readonly random?: () => number;
  /** Defaults to `precise`. */
  readonly algorithm?: SyncAlgorithm;
  /** Initial per-device output latency offset, ms (positive: this device's speaker is late). */
  readonly outputLatencyOffsetMs?: number;
  /** Where invalid frames and internal errors are logged; defaults to console. */
  readonly logger?: Pick<Console, "warn">;
}

/** The framework-free sync engine. Create with {@link createSyncEngine}. */
export interface SyncEngine {
  /** Opens the connection (idempotent); reconnects on its own until {@link disconnect}. */
  connect(): void;
  /**
   * Closes the connection, stops timers and playback; the engine can `connect()` again (the
   * clock estimate and the timeline are kept, so a re-connect is in sync at once).
   */
  disconnect(): void;
  /** Subscribes to snapshot changes; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** The current immutable snapshot (same object until something changes). */
  getSnapshot(): SyncSnapshot;
  /** The timeline position right now (ms), for per-frame progress bars. */
  getPositionMs(): number;
  /**
   * Play `track` (from `positionMs`, default 0); the server schedules it for everyone. Like every
   * command (the host's, or a listener's when the room allows it: the server decides), it returns
   * the fresh command id it sent, or null when not joined (`lastError` is then `NOT_JOINED`); a
   * refusal shows in `snapshot.commands.lastRefusal`.
   */
  play(track: TrackInput, positionMs?: number): string | null;
  /** Pause. */
  pause(): string | null;
  /** Resume. */
  resume(): string | null;
  /** Jump to `positionMs`. */
  seek(positionMs: number): string | null;
  /** Switch to `track` from its start. */
  trackChange(track: TrackInput): string | null;
  /**
   * Sends a queue command (add by track grant, remove, move, play next, play now); like the other
   * commands it returns the id it sent, or null when not joined.
   */
  queue(command: QueueCommandInput): string | null;
  /** Unlocks audio; call synchronously inside a click/tap handler. */
  unlockAudio(): Promise<void>;
  /** Sets the per-device output latency offset (ms, positive: speaker late); applied at once. */
  setOutputLatencyOffsetMs(ms: number): void;
  /**
   * Plays a click on the next whole second of the server clock (every device clicking together
   * when calibrated), so the user can tune {@link setOutputLatencyOffsetMs} by ear.
   */
  playCalibrationClick(): void;
  /** The room's chat, reactions and the owner's moderation (SPEC CH*). */
  readonly chat: ChatFeed;
  /** Host: calibrate the room acoustically, measured by `measuringUserId`'s device (default: this one). */
  calibrate(measuringUserId?: string): string | null;
  /** Where this device is in the latest calibration run. */
  getCalibration(): CalibrationView;
}
