"use client";

import { CreateRoomBody } from "@sync-beats/protocol";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { FormError } from "@/components/form-error";
import { useApi } from "@/lib/config-context";
import { useSubmit } from "@/lib/use-submit";

export function CreateRoomForm() {
  const api = useApi();
  const router = useRouter();
  const [name, setName] = useState("");
  const [isPublic, setIsPublic] = useState(true);
  const [listenersCanControl, setListenersCanControl] = useState(false);
  const { busy, error, setError, run } = useSubmit();

  function submit(event: FormEvent) {
    event.preventDefault();
    const body = { name, isPublic, listenersCanControl };
    if (!CreateRoomBody.safeParse(body).success) {
      setError("Give the room a name (1-80 characters)");
      return;
    }
    void run(async () => {
      const { room } = await api.createRoom(body);
      router.push(`/dashboard/room/${room.code}`);
    });
  }

  return (
    <form className="card" onSubmit={submit} aria-labelledby="create-room-title">
      <h2 id="create-room-title">Create a room</h2>
      <FormError message={error} />
      <div className="field">
        <label htmlFor="room-name">Room name</label>
        <input id="room-name" type="text" maxLength={80} value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label className="checkbox">
          <input type="checkbox" checked={isPublic} onChange={(e) => setIsPublic(e.target.checked)} /> Listed publicly
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={listenersCanControl} onChange={(e) => setListenersCanControl(e.target.checked)} />{" "}
          Listeners can control playback
        </label>
      </div>
      <button type="submit" disabled={busy} data-testid="create-room">
        {busy ? "Creating…" : "Create room"}
      </button>
    </form>
  );
}
