import type { ClientMessageOf } from "./client-messages.js";
import { DAY_MS } from "./primitives.js";

/** The two frames every member sends every few seconds (SPEC: time_ping, sync_check). */
export type HotClientMessage = ClientMessageOf<"time_ping"> | ClientMessageOf<"sync_check">;

/** Own enumerable keys of a decoded JSON object, counted without building the array `Object.keys` would. */
function keyCount(value: object): number {
  let count = 0;
  for (const key in value) if (Object.hasOwn(value, key)) count++;
  return count;
}

/**
 * A decoded frame that is exactly a well-formed `time_ping` (`type`, finite `t0`) or `sync_check`
 * (`type`, `clientPosMs` within a day, `clientTimeMs` ≥ 0), checked by hand; null for anything
 * else, which the caller then validates with the schema (and so refuses with its typed error).
 * The two make up nine in ten of a room's frames: on the server's hot path the schema's parse,
 * which copies the object and runs a check closure per field, was measured (bench:hot-path) as a
 * third of a sync_check's cost. Accepts only what `ClientMessage` accepts, with the same fields.
 */
export function hotClientMessage(value: unknown): HotClientMessage | null {
  if (typeof value !== "object" || value === null) return null;
  const frame = value as { type?: unknown; t0?: unknown; clientPosMs?: unknown; clientTimeMs?: unknown };
  if (frame.type === "time_ping") {
    return Number.isFinite(frame.t0) && keyCount(frame) === 2 ? (frame as ClientMessageOf<"time_ping">) : null;
  }
  if (frame.type === "sync_check") {
    const { clientPosMs, clientTimeMs } = frame;
    const wellFormed =
      typeof clientPosMs === "number" && clientPosMs >= 0 && clientPosMs <= DAY_MS &&
      typeof clientTimeMs === "number" && Number.isFinite(clientTimeMs) && clientTimeMs >= 0 &&
      keyCount(frame) === 3;
    return wellFormed ? (frame as ClientMessageOf<"sync_check">) : null;
  }
  return null;
}

/** Whether a decoded `time_ping` carries anything but `type` and `t0` (strict, LT3). */
export function hasExtraPingFields(value: object): boolean {
  return keyCount(value) !== 2;
}
