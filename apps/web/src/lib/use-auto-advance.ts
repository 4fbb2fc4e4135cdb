"use client";

import { useEffect, useRef } from "react";

const CHECK_EVERY_MS = 500;
/** Held at the end this long before moving on, so the last beat is heard everywhere. */
const END_GRACE_MS = 300;

/**
 * The server holds a finished track at its end; the host's page moves the room on to the next
 * track (once per track). Only the host runs this, so a room never gets two TRACK_CHANGEs.
 */
export function useAutoAdvance(options: {
  enabled: boolean;
  trackKey: string | null;
  durationMs: number;
  getPositionMs: () => number;
  advance: () => void;
}): void {
  const { enabled, trackKey, durationMs, getPositionMs, advance } = options;
  const advanceRef = useRef(advance);
  advanceRef.current = advance;
  const doneFor = useRef<string | null>(null);

  useEffect(() => {
    if (!enabled || trackKey === null || durationMs <= 0) return;
    // The timeline clamps at the end, so "ended" is position == duration, held for a moment.
    let endedSince: number | null = null;
    const id = setInterval(() => {
      if (getPositionMs() < durationMs) {
        // Playing (again: a loop, or the same track picked twice): arm for its end.
        endedSince = null;
        doneFor.current = null;
        return;
      }
      if (doneFor.current === trackKey) return;
      endedSince ??= Date.now();
      if (Date.now() - endedSince >= END_GRACE_MS) {
        doneFor.current = trackKey;
        advanceRef.current();
      }
    }, CHECK_EVERY_MS);
    return () => clearInterval(id);
  }, [enabled, trackKey, durationMs, getPositionMs]);
}
