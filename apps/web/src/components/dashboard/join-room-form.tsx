"use client";

import { RoomCode } from "@sync-beats/protocol";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { FormError } from "@/components/form-error";
import { useSubmit } from "@/lib/use-submit";

export function JoinRoomForm() {
  const router = useRouter();
  const [code, setCode] = useState("");
  const { busy, error, setError, run } = useSubmit();

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = RoomCode.safeParse(code);
    if (!checked.success) {
      setError("Room codes are 4-12 letters or digits");
      return;
    }
    // No REST join first: the room page's ticket request joins the room, and a wrong code shows
    // "Room not found" there. One round trip less between the tap and the music.
    void run(async () => {
      router.push(`/dashboard/room/${checked.data}`);
    });
  }

  return (
    <form className="card" onSubmit={submit} aria-labelledby="join-room-title">
      <h2 id="join-room-title">Join by code</h2>
      <FormError message={error} />
      <div className="field">
        <label htmlFor="join-code">Room code</label>
        <input
          id="join-code"
          type="text"
          className="code"
          autoCapitalize="characters"
          autoComplete="off"
          maxLength={12}
          value={code}
          onChange={(e) => {
            const next = e.target.value.toUpperCase();
            setCode(next);
            // Warm the room page while the user is still typing.
            const valid = RoomCode.safeParse(next);
            if (valid.success) router.prefetch(`/dashboard/room/${valid.data}`);
          }}
        />
      </div>
      <button type="submit" disabled={busy} data-testid="join-room">
        {busy ? "Joining…" : "Join room"}
      </button>
    </form>
  );
}
