// The room page's read-only debug hook (apps/web/src/lib/debug-hook.ts), as tests see it.
import type { SyncSnapshot } from "@sync-beats/sync-engine";

declare global {
  interface Window {
    __syncBeats?: {
      getSnapshot(): SyncSnapshot;
      getPositionMs(): number;
      renderedPositionMs(): number | null;
    };
  }
}

export {};
