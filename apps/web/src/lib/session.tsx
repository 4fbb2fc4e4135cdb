"use client";

import type { User } from "@sync-beats/protocol";
import { usePathname, useRouter } from "next/navigation";
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { errorMessage } from "./api-error";
import { useApi } from "./config-context";

interface Session {
  user: User;
  logout(): Promise<void>;
  /** After a guest became an account: the user as the API now answers. */
  replaceUser(user: User): void;
}

const SessionContext = createContext<Session | null>(null);

/** Loads the current user; sends visitors without a session to /login and back afterwards. */
export function SessionGate({ children }: { children: ReactNode }) {
  const api = useApi();
  const router = useRouter();
  const pathname = usePathname();
  const [user, setUser] = useState<User | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    api.session().then(
      ({ user: me }) => {
        if (cancelled) return;
        if (me) setUser(me);
        else router.replace(`/login?next=${encodeURIComponent(pathname)}`);
      },
      (failure: unknown) => {
        if (!cancelled) setError(errorMessage(failure));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, router, pathname]);

  const logout = useCallback(async () => {
    await api.logout().catch(() => undefined);
    router.replace("/login");
  }, [api, router]);

  if (error) {
    return (
      <main className="page narrow">
        <p className="error" role="alert">
          {error}
        </p>
      </main>
    );
  }
  if (!user) {
    return (
      <main className="page">
        <p className="muted">Loading…</p>
      </main>
    );
  }
  return <SessionContext.Provider value={{ user, logout, replaceUser: setUser }}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionGate");
  return session;
}
