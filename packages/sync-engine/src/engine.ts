import type { SyncEngine, SyncEngineOptions } from "./types.js";

/** Creates a sync engine over the injected socket, clock and audio output. */
export function createSyncEngine(_options: SyncEngineOptions): SyncEngine {
  throw new Error("not implemented");
}
