"use client";

import type { Room, UpdateRoomBody } from "@sync-beats/protocol";
import { useState } from "react";
import { FormError } from "@/components/form-error";
import { errorMessage } from "@/lib/api-error";

/** The host's room settings; a change is saved at once and shown as saved only once the API agrees. */
export function RoomSettings({ room, save }: { room: Room; save: (patch: UpdateRoomBody) => Promise<void> }) {
  const [saving, setSaving] = useState<UpdateRoomBody | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function change(patch: UpdateRoomBody) {
    setSaving(patch);
    setError(null);
    try {
      await save(patch);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setSaving(null);
    }
  }

  const guestsCanControl = saving?.guestsCanControl ?? room.guestsCanControl;
  return (
    <section className="card" aria-labelledby="room-settings-title" data-testid="room-settings">
      <h2 id="room-settings-title">Room settings</h2>
      <FormError message={error} />
      <label className="checkbox">
        <input
          type="checkbox"
          checked={guestsCanControl}
          disabled={saving !== null}
          onChange={(event) => void change({ guestsCanControl: event.target.checked })}
          data-testid="guests-can-control"
        />{" "}
        Guests can control playback
      </label>
      <p className="muted small">
        {guestsCanControl
          ? "Everyone in the room can play, pause, seek and skip."
          : "Only you control playback; guests listen."}
      </p>
    </section>
  );
}
