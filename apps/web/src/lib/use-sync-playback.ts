"use client";

import {
  createSyncEngine,
  createWebAudioOutput,
  type AudioOutput,
  type ChatFeed,
  type CalibrationView,
  type EngineError,
  type SyncEngine,
  type SyncSnapshot,
} from "@sync-beats/sync-engine";
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { useConfig } from "./config-context";
import { exposeDebugHook } from "./debug-hook";
import { persistCalibratedOffsets } from "./calibration-persistence";
import { IDLE_SNAPSHOT } from "./idle-snapshot";
import { readOutputLatencyOffset } from "./latency-offset-store";
import { localizeAudioUrl } from "./track-info";

export interface SyncPlaybackHandlers {
  /** Called once per new engine error (load failures, version mismatch; refused commands are in `snapshot.commands`). */
  onError?(error: EngineError): void;
}

/** The snapshot plus the engine's commands (bound; safe to pass as event handlers), its chat feed (null until there is an engine) and its calibration. */
export type SyncPlayback = { snapshot: SyncSnapshot; chat: ChatFeed | null; calibration: CalibrationView } & Pick<
  SyncEngine,
  | "getPositionMs"
  | "play"
  | "pause"
  | "resume"
  | "seek"
  | "trackChange"
  | "queue"
  | "unlockAudio"
  | "setOutputLatencyOffsetMs"
  | "playCalibrationClick"
  | "calibrate"
>;

const noop = () => undefined;
const subscribeNothing = () => noop;
const idle = () => IDLE_SNAPSHOT;
const NO_CALIBRATION: CalibrationView = { phase: "idle" };

/**
 * Thin React binding of the framework-free sync engine: one engine per mounted room, its snapshot
 * through `useSyncExternalStore`, handlers through a ref (PartySocket's pattern) so changing them
 * never reconnects. All sync logic lives in `@sync-beats/sync-engine`.
 */
export function useSyncPlayback(roomCode: string, handlers: SyncPlaybackHandlers = {}): SyncPlayback {
  const { api, apiUrl, syncUrl } = useConfig();
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;
  const [engine, setEngine] = useState<SyncEngine | null>(null);

  useEffect(() => {
    // Created in the effect (not during render) so Strict Mode's mount/unmount/mount and route
    // changes each get a clean engine and audio context, and the server never builds one.
    const audio: AudioOutput = createWebAudioOutput({
      fetch: (url, init) => fetch(localizeAudioUrl(url, apiUrl), init),
    });
    const created = createSyncEngine({
      syncUrl,
      roomCode,
      createSocket: (url) => new WebSocket(url),
      getJoinCredentials: async () => ({ ticket: (await api.ticket(roomCode)).ticket }),
      audio,
      outputLatencyOffsetMs: readOutputLatencyOffset(),
    });
    const hideDebugHook = exposeDebugHook({
      getSnapshot: () => created.getSnapshot(),
      getPositionMs: () => created.getPositionMs(),
      renderedPositionMs: () => audio.renderedPositionMs(audio.currentTime()),
    });
    const stopPersisting = persistCalibratedOffsets(created, audio);
    setEngine(created);
    created.connect();
    return () => {
      stopPersisting();
      created.disconnect();
      audio.dispose();
      hideDebugHook();
      setEngine(null);
    };
  }, [api, apiUrl, syncUrl, roomCode]);

  const subscribe = useMemo(() => (engine ? engine.subscribe.bind(engine) : subscribeNothing), [engine]);
  const getSnapshot = useMemo(() => (engine ? engine.getSnapshot.bind(engine) : idle), [engine]);
  const snapshot = useSyncExternalStore(subscribe, getSnapshot, idle);

  const lastError = snapshot.lastError;
  useEffect(() => {
    if (lastError) handlersRef.current.onError?.(lastError);
  }, [lastError]);

  const getPositionMs = useCallback(() => engine?.getPositionMs() ?? 0, [engine]);

  return useMemo(
    () => ({
      snapshot,
      chat: engine?.chat ?? null,
      // Read on every snapshot change: the engine emits one whenever the calibration moves.
      calibration: engine?.getCalibration() ?? NO_CALIBRATION,
      getPositionMs,
      play: (track, positionMs) => engine?.play(track, positionMs) ?? null,
      pause: () => engine?.pause() ?? null,
      resume: () => engine?.resume() ?? null,
      seek: (positionMs) => engine?.seek(positionMs) ?? null,
      trackChange: (track) => engine?.trackChange(track) ?? null,
      queue: (command) => engine?.queue(command) ?? null,
      // Must run synchronously inside the tap: no awaits before this call.
      unlockAudio: () => engine?.unlockAudio() ?? Promise.resolve(),
      setOutputLatencyOffsetMs: (ms) => engine?.setOutputLatencyOffsetMs(ms),
      playCalibrationClick: () => engine?.playCalibrationClick(),
      calibrate: (measuringUserId) => engine?.calibrate(measuringUserId) ?? null,
    }),
    [engine, snapshot, getPositionMs],
  );
}
