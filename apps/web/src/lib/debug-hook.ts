import type { SyncSnapshot } from "@sync-beats/sync-engine";

/** Read-only view of the room's engine for end-to-end tests and devtools (`window.__syncBeats`). */
export interface SyncBeatsDebugHook {
  getSnapshot(): SyncSnapshot;
  getPositionMs(): number;
  /** The track position the audio device renders right now, or null when silent. */
  renderedPositionMs(): number | null;
}

declare global {
  interface Window {
    __syncBeats?: SyncBeatsDebugHook;
  }
}

/** localStorage key a device sets to "1" to get the hook in a production build. */
export const DEBUG_HOOK_STORAGE_KEY = "sync-beats:debug-hook";

/**
 * Development builds always expose the hook. A production build exposes it only on a device that
 * opted in (devtools: `localStorage.setItem("sync-beats:debug-hook", "1")`; the e2e harness does
 * this), so the product carries no engine internals on `window` by default.
 */
export function debugHookEnabled(): boolean {
  if (process.env.NODE_ENV !== "production") return true;
  try {
    return window.localStorage.getItem(DEBUG_HOOK_STORAGE_KEY) === "1";
  } catch {
    // Storage can be blocked (privacy settings); then there is no opt-in.
    return false;
  }
}

/** Puts `hook` on `window` when enabled; returns the function that takes it off again. */
export function exposeDebugHook(hook: SyncBeatsDebugHook): () => void {
  if (!debugHookEnabled()) return () => undefined;
  window.__syncBeats = hook;
  return () => {
    if (window.__syncBeats === hook) delete window.__syncBeats;
  };
}
