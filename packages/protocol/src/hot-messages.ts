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

/** The schema's `t0`: any finite number. */
const isPingTime = (t0: unknown): t0 is number => Number.isFinite(t0);

/** The schema's `sync_check` fields: a position within a day, a non-negative finite server time. */
const isCheck = (clientPosMs: unknown, clientTimeMs: unknown): boolean =>
  typeof clientPosMs === "number" && clientPosMs >= 0 && clientPosMs <= DAY_MS &&
  typeof clientTimeMs === "number" && Number.isFinite(clientTimeMs) && clientTimeMs >= 0;

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
    return isPingTime(frame.t0) && keyCount(frame) === 2 ? (frame as ClientMessageOf<"time_ping">) : null;
  }
  if (frame.type === "sync_check") {
    return isCheck(frame.clientPosMs, frame.clientTimeMs) && keyCount(frame) === 3 ? (frame as ClientMessageOf<"sync_check">) : null;
  }
  return null;
}

/** A number exactly as JSON's grammar (RFC 8259 §6) writes it: for such text `Number()` gives what `JSON.parse` gives. */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const PING_HEAD = '{"type":"time_ping","t0":';
const CHECK_HEAD = '{"type":"sync_check","clientPosMs":';
const CHECK_MIDDLE = ',"clientTimeMs":';

/** The number `text` holds from `start` to `end`, or NaN when that is not a JSON number. */
function jsonNumberAt(text: string, start: number, end: number): number {
  const digits = text.slice(start, end);
  return JSON_NUMBER.test(digits) ? Number(digits) : Number.NaN;
}

/**
 * A `time_ping` or `sync_check` frame read straight from its text when it is written exactly as
 * `JSON.stringify` writes the clients' messages (these keys in this order, no spaces); null for
 * any other text, which the caller then parses and validates in full. Why: after the schema went
 * (above), `JSON.parse` was the largest part of the server's own cost per hot frame
 * (bench:hot-path's CPU profile: `decode` 11 % self, the rest of the server's frame path ~8 %).
 * Accepts only what `hotClientMessage(JSON.parse(text))` accepts, with the same fields.
 */
export function hotClientFrame(text: string): HotClientMessage | null {
  if (text.charCodeAt(text.length - 1) !== 0x7d /* } */) return null;
  const end = text.length - 1;
  if (text.startsWith(PING_HEAD)) {
    const t0 = jsonNumberAt(text, PING_HEAD.length, end);
    return isPingTime(t0) ? { type: "time_ping", t0 } : null;
  }
  if (text.startsWith(CHECK_HEAD)) {
    const middle = text.indexOf(CHECK_MIDDLE, CHECK_HEAD.length);
    if (middle < 0) return null;
    const clientPosMs = jsonNumberAt(text, CHECK_HEAD.length, middle);
    const clientTimeMs = jsonNumberAt(text, middle + CHECK_MIDDLE.length, end);
    return isCheck(clientPosMs, clientTimeMs) ? { type: "sync_check", clientPosMs, clientTimeMs } : null;
  }
  return null;
}

/** Whether a decoded `time_ping` carries anything but `type` and `t0` (strict, LT3). */
export function hasExtraPingFields(value: object): boolean {
  return keyCount(value) !== 2;
}
