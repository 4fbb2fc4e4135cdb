"use client";

import { DeleteTrackButton } from "@/components/library/delete-track-button";
import { TrackList } from "@/components/library/track-list";
import { UploadCard } from "@/components/library/upload-card";
import { useApi } from "@/lib/config-context";
import { useResource } from "@/lib/use-resource";
import { useSession } from "@/lib/session";

export default function LibraryPage() {
  const api = useApi();
  const { user } = useSession();
  const tracks = useResource(() => api.tracks());
  return (
    <main className="page">
      <h1>Library</h1>
      <div className="stack">
        <UploadCard onUploaded={tracks.reload} />
        <section className="card">
          <h2>Tracks</h2>
          {tracks.error && <p className="error">{tracks.error}</p>}
          <TrackList
            tracks={tracks.data?.tracks ?? null}
            action={(track) => (track.ownerUserId === user.id && !track.isDemo ? <DeleteTrackButton track={track} onDeleted={tracks.reload} /> : null)}
          />
        </section>
      </div>
    </main>
  );
}
