"use client";

import { TrackList } from "@/components/library/track-list";
import { UploadCard } from "@/components/library/upload-card";
import { useApi } from "@/lib/config-context";
import { useResource } from "@/lib/use-resource";

export default function LibraryPage() {
  const api = useApi();
  const tracks = useResource(() => api.tracks());
  return (
    <main className="page">
      <h1>Library</h1>
      <div className="stack">
        <UploadCard onUploaded={tracks.reload} />
        <section className="card">
          <h2>Tracks</h2>
          {tracks.error && <p className="error">{tracks.error}</p>}
          <TrackList tracks={tracks.data?.tracks ?? null} />
        </section>
      </div>
    </main>
  );
}
