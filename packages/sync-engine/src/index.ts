/**
 * @packageDocumentation
 * Framework-free browser sync engine for Sync Beats: clock sync against the server, the canonical
 * timeline, scheduling on the audio clock and drift control. `useSyncPlayback` wraps
 * {@link createSyncEngine}; the pure modules are exported for the server and the benchmark.
 */
export type {
  AudioOutput,
  AudioState,
  AudioTimestamp,
  Clock,
  ClosedReason,
  ConnectionState,
  Disposer,
  DriftPoint,
  EngineError,
  JoinCredentials,
  RoomInfo,
  SocketCloseEvent,
  SocketHandler,
  SyncAlgorithm,
  SyncEngine,
  SyncEngineOptions,
  SyncSnapshot,
  SyncSocket,
  SyncStats,
  TrackInput,
} from "./types.js";
export type { CommandRefusal, CommandsState, QueueCommandInput } from "./commands.js";
export { mergeChat, type ChatFeed, type ChatRefusal, type ChatState, type ReactionEvent } from "./chat-feed.js";
export type { CalibrationDevice, CalibrationView } from "./calibration-run.js";
export type { AudioCapture, CapturedAudio } from "./types.js";
export type { DecodeStats, DecoderKind } from "./stream/span-decode.js";
export { createSyncEngine } from "./engine.js";
export { createSystemClock } from "./system-clock.js";
export { createWebAudioOutput, type WebAudioOutputOptions } from "./web-audio-output.js";
export { contextReading, speakerTimestamp, type OutputClockReading, type SpeakerTimestamp } from "./output-timestamp.js";

// Pure modules (the server, the benchmark and tests use the same maths).
export {
  ClockEstimator,
  DEFAULT_CLOCK_FILTER,
  estimateClock,
  estimateClockNaive,
  localTimeAt,
  sampleDelay,
  sampleOffset,
  serverTimeAt,
  type ClockEstimate,
  type ClockFilterOptions,
  type ClockSample,
} from "./clock-estimator.js";
export {
  DEFAULT_DRIFT_CONTROL,
  INITIAL_DRIFT_STATE,
  NAIVE_DRIFT_CONTROL,
  stepDriftController,
  type DriftAction,
  type DriftControllerOptions,
  type DriftControllerState,
} from "./drift-controller.js";
export {
  DEFAULT_DRIFT_POLICY,
  feedForwardRate,
  INITIAL_SUPERVISOR_STATE,
  superviseDrift,
  type DriftInput,
  type DriftPolicy,
  type DriftSupervisorState,
  type SupervisedAction,
} from "./drift-supervisor.js";
export {
  AudioClockMap,
  audioSkewPpm,
  contextAtLocal,
  fitAudioClock,
  localAtContext,
  singlePairFit,
  type AudioClockFit,
} from "./audio-clock-map.js";
export { LOWER_EDGE_QUANTILE, lowerEdgeOffset, quantile } from "./lower-edge.js";
export { backoffDelayMs, DEFAULT_BACKOFF, type BackoffOptions } from "./backoff.js";
export { NAIVE_RESYNC_THRESHOLD_MS, naiveSeedSchedule, type NaiveSchedule } from "./naive.js";
export { ENGINE_TIMING } from "./engine-timing.js";
export { SERVER_LINK_TIMING } from "./server-link.js";
