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
export { createSyncEngine } from "./engine.js";
export { createSystemClock } from "./system-clock.js";
export { createWebAudioOutput, type WebAudioOutputOptions } from "./web-audio-output.js";
