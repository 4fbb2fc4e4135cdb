"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useApi } from "@/lib/config-context";

/** On the landing page: someone already logged in goes straight to the dashboard. */
export function SignedInRedirect() {
  const api = useApi();
  const router = useRouter();
  useEffect(() => {
    let cancelled = false;
    api.session().then(
      ({ user }) => {
        if (user && !cancelled) router.replace("/dashboard");
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [api, router]);
  return null;
}
