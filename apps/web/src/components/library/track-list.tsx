import type { Track } from "@sync-beats/protocol";
import type { ReactNode } from "react";
import { formatAudioType, formatDuration } from "@/lib/format";

/** Tracks with title, artist and duration; `action` renders a per-track button (e.g. "Play"). */
export function TrackList({
  tracks,
  action,
  testId = "track-list",
}: {
  tracks: readonly Track[] | null;
  action?: (track: Track) => ReactNode;
  testId?: string;
}) {
  if (tracks === null) return <p className="empty">Loading…</p>;
  if (tracks.length === 0) return <p className="empty">No tracks yet.</p>;
  return (
    <ul className="list track-picker" data-testid={testId}>
      {tracks.map((track) => (
        <li key={track.id} data-track-id={track.id}>
          <div className="grow">
            <div className="ellipsis" data-testid="track-title">
              {track.title}
            </div>
            <div className="muted small ellipsis">
              {track.artist ?? "Unknown artist"}{" "}
              <span className="badge" data-testid="track-format">
                {formatAudioType(track.mimeType)}
              </span>
              {track.isDemo && (
                <>
                  {" "}
                  <span className="badge">demo</span>
                </>
              )}
            </div>
          </div>
          <span className="mono small muted">{formatDuration(track.durationMs)}</span>
          {action?.(track)}
        </li>
      ))}
    </ul>
  );
}
