"use client";

import { GuestJoinBody } from "@sync-beats/protocol";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { FormError } from "@/components/form-error";
import { useApi } from "@/lib/config-context";
import { useResource } from "@/lib/use-resource";
import { useSubmit } from "@/lib/use-submit";

/**
 * An invite link (issue 18): the room's name and a display-name form; joining makes a guest
 * session and opens the room. A rotated, unknown or turned-off link says so and offers nothing.
 */
export function GuestJoin({ token }: { token: string }) {
  const api = useApi();
  const router = useRouter();
  const invite = useResource(() => api.invite(token));
  const [displayName, setDisplayName] = useState("");
  const { busy, error, setError, run } = useSubmit();

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = GuestJoinBody.safeParse({ displayName });
    if (!checked.success) {
      setError(checked.error.issues[0]?.message ?? "Please enter a name");
      return;
    }
    void run(async () => {
      const { roomCode } = await api.joinAsGuest(token, checked.data.displayName);
      router.replace(`/dashboard/room/${roomCode}`);
    });
  }

  const refusal = invite.error ?? (invite.data && !invite.data.invite.open ? "The room's owner turned this invite link off." : null);
  return (
    <main className="page narrow">
      <Link href="/" className="brand">
        Sync <span>Beats</span>
      </Link>
      {refusal ? (
        <section className="card" style={{ marginTop: "1.5rem" }}>
          <h1>This invite link does not work</h1>
          <p className="error" role="alert" data-testid="invite-refused">
            {refusal}
          </p>
          <p className="muted">Ask someone in the room for a fresh link.</p>
        </section>
      ) : (
        <>
          <h1 style={{ marginTop: "1.5rem" }} data-testid="invite-room-name">
            {invite.data ? `Join “${invite.data.invite.roomName}”` : "Opening the invite…"}
          </h1>
          <form className="card" onSubmit={submit} noValidate>
            <FormError message={error} />
            <div className="field">
              <label htmlFor="guest-name">Your name</label>
              <input id="guest-name" name="guest-name" autoComplete="nickname" maxLength={64} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
            </div>
            <p className="muted small">No account needed: you join this room as a guest.</p>
            <button type="submit" disabled={busy || !invite.data} data-testid="guest-join">
              {busy ? "Joining…" : "Join the room"}
            </button>
          </form>
          <p className="muted small">
            Have an account? <Link href="/login">Log in</Link>
          </p>
        </>
      )}
    </main>
  );
}
