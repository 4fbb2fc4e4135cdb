"use client";

import { useCallback, useState } from "react";
import { errorMessage } from "./api-error";

/** Busy flag and error message around one async form action. */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Runs `action`; on failure shows its message and clears `busy` (success usually navigates away). */
  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
