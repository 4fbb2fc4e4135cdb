"use client";

import type { UpdateRoomBody } from "@sync-beats/protocol";
import { useEffect, useState } from "react";
import { FormError } from "@/components/form-error";
import { errorMessage } from "@/lib/api-error";

/**
 * The owner's room settings. A change goes to the API only (which tells the sync server); the
 * switch shows what was asked for until the live room (`room_updated`) says the same.
 */
export function RoomSettings({
  listenersCanControl,
  save,
}: {
  /** The live room's value (engine snapshot), or the REST one before joining. */
  listenersCanControl: boolean;
  save: (patch: UpdateRoomBody) => Promise<void>;
}) {
  const [requested, setRequested] = useState<boolean | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (requested === listenersCanControl) setRequested(null);
  }, [requested, listenersCanControl]);

  async function change(allowed: boolean) {
    // Busy rather than disabled while saving: a disabled box would drop the keyboard focus.
    if (saving) return;
    setRequested(allowed);
    setSaving(true);
    setError(null);
    try {
      await save({ listenersCanControl: allowed });
    } catch (failure) {
      setError(errorMessage(failure));
      setRequested(null);
    } finally {
      setSaving(false);
    }
  }

  const shown = requested ?? listenersCanControl;
  return (
    <section className="card" aria-labelledby="room-settings-title" data-testid="room-settings">
      <h2 id="room-settings-title">Room settings</h2>
      <FormError message={error} />
      <label className="checkbox">
        <input
          type="checkbox"
          checked={shown}
          aria-disabled={saving}
          onChange={(event) => void change(event.target.checked)}
          data-testid="listeners-can-control"
        />{" "}
        Listeners can control playback
      </label>
      <p className="muted small">
        {shown ? "Everyone in the room can play, pause, seek and skip." : "Only the host controls playback; listeners listen."}
      </p>
    </section>
  );
}
