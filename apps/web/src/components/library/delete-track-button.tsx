"use client";

import type { Track } from "@sync-beats/protocol";
import { useState } from "react";
import { useApi } from "@/lib/config-context";
import { errorMessage } from "@/lib/api-error";

/**
 * Deletes a track its viewer uploaded [TD1], after asking: the file is gone for good, and a room
 * playing it stops hearing it.
 */
export function DeleteTrackButton({ track, onDeleted }: { track: Track; onDeleted: () => void }) {
  const api = useApi();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function remove() {
    if (!window.confirm(`Delete “${track.title}” from the library? Rooms playing it will stop hearing it.`)) return;
    setBusy(true);
    setError(null);
    try {
      await api.deleteTrack(track.id);
      onDeleted();
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" className="ghost small" onClick={remove} disabled={busy} aria-label={`delete ${track.title}`} data-testid="delete-track">
        Delete
      </button>
      {error && (
        <span className="error small" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
