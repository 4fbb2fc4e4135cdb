"use client";

import { LoginBody, SignupBody } from "@sync-beats/protocol";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { FormError } from "@/components/form-error";
import { useApi } from "@/lib/config-context";
import { safeNextPath } from "@/lib/next-path";
import { useSubmit } from "@/lib/use-submit";

interface FieldProps {
  id: string;
  label: string;
  type: "text" | "password";
  autoComplete: string;
  value: string;
  onChange: (value: string) => void;
}

function Field({ id, label, type, autoComplete, value, onChange }: FieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={id}
        type={type}
        autoComplete={autoComplete}
        autoCapitalize="none"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

/** Sign-up and log-in share one form; `mode` picks the fields, the endpoint and the wording. */
export function AuthForm({ mode }: { mode: "signup" | "login" }) {
  const api = useApi();
  const router = useRouter();
  const next = safeNextPath(useSearchParams().get("next"));
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, setError, run } = useSubmit();
  const isSignup = mode === "signup";

  function submit(event: FormEvent) {
    event.preventDefault();
    const body = isSignup
      ? { username, password, ...(displayName.trim() ? { displayName: displayName.trim() } : {}) }
      : { username, password };
    const checked = (isSignup ? SignupBody : LoginBody).safeParse(body);
    if (!checked.success) {
      setError(checked.error.issues[0]?.message ?? "Please check the form");
      return;
    }
    void run(async () => {
      await (isSignup ? api.signup(body) : api.login(body));
      router.replace(next);
    });
  }

  const other = isSignup ? "/login" : "/signup";
  const otherHref = next === "/dashboard" ? other : `${other}?next=${encodeURIComponent(next)}`;
  return (
    <main className="page narrow">
      <Link href="/" className="brand">
        Sync <span>Beats</span>
      </Link>
      <h1 style={{ marginTop: "1.5rem" }}>{isSignup ? "Create your account" : "Welcome back"}</h1>
      <form className="card" onSubmit={submit} noValidate>
        <FormError message={error} />
        <Field id="username" label="Username" type="text" autoComplete="username" value={username} onChange={setUsername} />
        {isSignup && (
          <Field
            id="displayName"
            label="Display name (optional)"
            type="text"
            autoComplete="nickname"
            value={displayName}
            onChange={setDisplayName}
          />
        )}
        <Field
          id="password"
          label="Password"
          type="password"
          autoComplete={isSignup ? "new-password" : "current-password"}
          value={password}
          onChange={setPassword}
        />
        <button type="submit" className="block" disabled={busy} data-testid="auth-submit">
          {busy ? "Please wait…" : isSignup ? "Sign up" : "Log in"}
        </button>
      </form>
      <p className="muted small" style={{ textAlign: "center" }}>
        {isSignup ? "Already have an account? " : "New here? "}
        <Link href={otherHref}>{isSignup ? "Log in" : "Create an account"}</Link>
      </p>
    </main>
  );
}
