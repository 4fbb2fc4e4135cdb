"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { errorMessage } from "./api-error";

export interface Resource<T> {
  data: T | null;
  error: string | null;
  reload(): void;
  /** Shows `value` at once (e.g. what a save answered) until the next load. */
  replace(value: T): void;
}

/**
 * Loads `load()` on mount and, with `refreshMs`, again on an interval (used for live room counts).
 * The latest `load` is kept in a ref so callers may pass an inline function.
 */
export function useResource<T>(load: () => Promise<T>, refreshMs?: number): Resource<T> {
  const loadRef = useRef(load);
  loadRef.current = load;
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  // Bumped by `replace`: a load already in flight when a save answered must not undo it.
  const generation = useRef(0);

  useEffect(() => {
    let cancelled = false;
    const startedIn = generation.current;
    loadRef.current().then(
      (value) => {
        if (cancelled || startedIn !== generation.current) return;
        setData(value);
        setError(null);
      },
      (failure: unknown) => {
        if (!cancelled) setError(errorMessage(failure));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [tick]);

  useEffect(() => {
    if (!refreshMs) return;
    const id = setInterval(() => setTick((n) => n + 1), refreshMs);
    return () => clearInterval(id);
  }, [refreshMs]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  const replace = useCallback((value: T) => {
    generation.current += 1;
    setData(value);
    setError(null);
  }, []);
  return { data, error, reload, replace };
}
