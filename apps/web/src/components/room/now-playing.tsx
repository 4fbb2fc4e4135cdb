"use client";

import type { SyncSnapshot } from "@sync-beats/sync-engine";
import { CommandRefusalNotice } from "./command-refusal-notice";
import { SeekBar } from "./seek-bar";

export interface TransportActions {
  pause(): void;
  resume(): void;
  seek(positionMs: number): void;
  next(): void;
}

/**
 * Title, artist, the moving bar and the transport buttons (enabled for whoever may control now:
 * the host, or listeners when the room allows it), and why the server refused a command.
 */
export function NowPlaying({
  snapshot,
  getPositionMs,
  canControl,
  canGoNext,
  actions,
}: {
  snapshot: SyncSnapshot;
  getPositionMs: () => number;
  canControl: boolean;
  canGoNext: boolean;
  actions: TransportActions;
}) {
  const { track, isPaused } = snapshot;
  const hostName = snapshot.participants.find((p) => p.role === "host")?.name ?? null;
  return (
    <section
      className="card now-playing"
      aria-labelledby="now-playing-title"
      data-testid="now-playing"
      data-track-id={track?.trackId ?? ""}
      data-paused={String(isPaused)}
    >
      <p className="muted small" style={{ margin: "0 0 0.25rem" }}>
        {track ? (isPaused ? "Paused" : snapshot.loading ? "Loading…" : "Now playing") : "Nothing playing"}
      </p>
      <h2 className="title" id="now-playing-title" data-testid="track-title">
        {track ? (track.title ?? "Untitled") : "Pick a track to start"}
      </h2>
      <p className="artist" data-testid="track-artist">
        {track ? (track.artist ?? "Unknown artist") : canControl ? "Choose one from the library below." : "Waiting for the host."}
      </p>
      <SeekBar
        getPositionMs={getPositionMs}
        durationMs={track?.duration ?? 0}
        running={track !== null && !isPaused}
        interactive={canControl && track !== null}
        onSeek={actions.seek}
      />
      <div className="transport">
        {isPaused || !track ? (
          <button type="button" onClick={actions.resume} disabled={!canControl || !track} data-testid="resume">
            ▶ Resume
          </button>
        ) : (
          <button type="button" onClick={actions.pause} disabled={!canControl} data-testid="pause">
            ❚❚ Pause
          </button>
        )}
        <button
          type="button"
          className="secondary"
          onClick={actions.next}
          disabled={!canControl || !canGoNext}
          data-testid="next-track"
        >
          Next track ›
        </button>
      </div>
      <CommandRefusalNotice refusal={snapshot.commands.lastRefusal} hostName={hostName} />
      {!canControl && <p className="muted small">Only the host controls playback in this room.</p>}
    </section>
  );
}
