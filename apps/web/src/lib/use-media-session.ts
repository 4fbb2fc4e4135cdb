"use client";

import type { SyncSnapshot } from "@sync-beats/sync-engine";
import { useEffect, useMemo, useRef } from "react";
import { MEDIA_SESSION_ACTIONS, mediaSessionSeekTargetMs, mediaSessionState, type MediaSessionState } from "./media-session";

/** The app icon as lock-screen artwork (the manifest's icons, absolute on this origin). */
function artwork(): { src: string; sizes: string; type: string }[] {
  return [192, 512].map((size) => ({ src: new URL(`/icons/icon-${size}.png`, window.location.origin).href, sizes: `${size}x${size}`, type: "image/png" }));
}

export interface MediaSessionControls {
  pause(): void;
  resume(): void;
  seek(positionMs: number): void;
}

/**
 * Tells the operating system what the room plays (lock screen, notification, headset keys):
 * metadata, playback state and position from the live timeline, and play/pause/seek handlers only
 * while this member may control the room. A browser without `navigator.mediaSession` gets nothing.
 */
export function useMediaSession({
  snapshot,
  roomName,
  getPositionMs,
  controls,
}: {
  snapshot: SyncSnapshot;
  roomName: string | null;
  getPositionMs: () => number;
  controls: MediaSessionControls;
}): void {
  const { track, isPaused, canControl, timeline } = snapshot;
  // Handlers read the latest callbacks without being registered again on every render.
  const latest = useRef({ controls, getPositionMs, durationMs: track?.duration ?? 0 });
  latest.current = { controls, getPositionMs, durationMs: track?.duration ?? 0 };

  const state = useMemo(
    () => mediaSessionState({ track, roomName, positionMs: getPositionMs(), isPaused, canControl, artwork: typeof window === "undefined" ? [] : artwork() }),
    // `timeline` changes on every play, pause, seek and track change: the moments to re-anchor.
    [track, roomName, isPaused, canControl, timeline, getPositionMs],
  );

  // By value: a seek recomputes the state, and the card must not be cleared and redrawn for it.
  const metadataKey = JSON.stringify(state.metadata);
  useEffect(() => {
    if (!("mediaSession" in navigator)) return;
    const metadata = JSON.parse(metadataKey) as MediaSessionState["metadata"];
    guarded(() => (navigator.mediaSession.metadata = metadata ? new MediaMetadata(metadata) : null));
    return () => guarded(() => (navigator.mediaSession.metadata = null));
  }, [metadataKey]);

  useEffect(() => {
    if (!("mediaSession" in navigator)) return;
    guarded(() => {
      navigator.mediaSession.playbackState = state.playbackState;
      navigator.mediaSession.setPositionState(state.position ?? undefined);
    });
  }, [state]);

  const mayControl = state.actions.length > 0;
  useEffect(() => {
    if (!("mediaSession" in navigator) || !mayControl) return;
    const session = navigator.mediaSession;
    const seek = (action: "seekto" | "seekbackward" | "seekforward") => (details: MediaSessionActionDetails) => {
      const { controls, getPositionMs, durationMs } = latest.current;
      controls.seek(mediaSessionSeekTargetMs(action, details, getPositionMs(), durationMs));
    };
    const handlers: Record<(typeof MEDIA_SESSION_ACTIONS)[number], MediaSessionActionHandler> = {
      play: () => latest.current.controls.resume(),
      pause: () => latest.current.controls.pause(),
      seekto: seek("seekto"),
      seekbackward: seek("seekbackward"),
      seekforward: seek("seekforward"),
    };
    for (const action of MEDIA_SESSION_ACTIONS) setHandler(session, action, handlers[action]);
    return () => {
      for (const action of MEDIA_SESSION_ACTIONS) setHandler(session, action, null);
    };
  }, [mayControl]);
}

/** Browsers throw for actions they do not know; those simply go without a handler. */
function setHandler(session: MediaSession, action: MediaSessionAction, handler: MediaSessionActionHandler | null): void {
  guarded(() => session.setActionHandler(action, handler));
}

/**
 * The lock screen is a nicety: whatever an engine rejects (an action it does not know, a position
 * state it validates differently), the room page plays on without it.
 */
function guarded(apply: () => unknown): void {
  try {
    apply();
  } catch {
    // Left as the browser had it.
  }
}
