"use client";

import type { Track } from "@sync-beats/protocol";
import { TrackList } from "@/components/library/track-list";

/** The library, with a Play button per track for whoever may control the room. */
export function TrackPicker({
  tracks,
  currentTrackId,
  canControl,
  onPick,
}: {
  tracks: readonly Track[] | null;
  currentTrackId: string | undefined;
  canControl: boolean;
  onPick: (track: Track) => void;
}) {
  return (
    <section className="card" aria-labelledby="picker-title">
      <h2 id="picker-title">Library</h2>
      <TrackList
        tracks={tracks}
        testId="room-tracks"
        action={(track) =>
          track.id === currentTrackId ? (
            <span className="badge live">playing</span>
          ) : (
            <button
              type="button"
              className="small"
              disabled={!canControl}
              onClick={() => onPick(track)}
              data-testid="play-track"
              aria-label={`Play ${track.title}`}
            >
              ▶ Play
            </button>
          )
        }
      />
    </section>
  );
}
