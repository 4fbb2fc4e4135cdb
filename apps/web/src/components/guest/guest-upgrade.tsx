"use client";

import { UpgradeGuestBody } from "@sync-beats/protocol";
import { useState, type FormEvent } from "react";
import { FormError } from "@/components/form-error";
import { useApi } from "@/lib/config-context";
import { useSession } from "@/lib/session";
import { useSubmit } from "@/lib/use-submit";

/** A guest's "create an account" (issue 18): a username and password; the display name stays. */
export function GuestUpgrade() {
  const api = useApi();
  const { replaceUser } = useSession();
  const [open, setOpen] = useState(false);
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, setError, run } = useSubmit();

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = UpgradeGuestBody.safeParse({ username, password });
    if (!checked.success) {
      setError(checked.error.issues[0]?.message ?? "Please check the form");
      return;
    }
    void run(async () => {
      replaceUser((await api.upgrade(checked.data)).user);
    });
  }

  if (!open) {
    return (
      <button type="button" className="secondary small" onClick={() => setOpen(true)} data-testid="guest-upgrade-open">
        Create an account
      </button>
    );
  }
  return (
    <form className="row" onSubmit={submit} noValidate aria-label="Create an account" data-testid="guest-upgrade">
      <FormError message={error} />
      <input aria-label="Username" autoComplete="username" autoCapitalize="none" value={username} onChange={(e) => setUsername(e.target.value)} />
      <input aria-label="Password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      <button type="submit" className="small" disabled={busy}>
        {busy ? "Creating…" : "Create"}
      </button>
    </form>
  );
}
