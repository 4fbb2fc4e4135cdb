import { describe, expect, it } from "vitest";
import { hasExtraPingFields, hotClientMessage } from "./hot-messages.js";
import { validateClientMessage } from "./parse.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Frames around every edge of the two schemas, well-formed or not. */
const CASES: unknown[] = [
  { type: "time_ping", t0: 12.5 },
  { type: "time_ping", t0: -3 },
  { type: "time_ping", t0: 0 },
  { type: "time_ping", t0: "1" },
  { type: "time_ping", t0: null },
  { type: "time_ping" },
  { type: "time_ping", t0: 1, rttMs: 5 },
  { type: "sync_check", clientPosMs: 1_000, clientTimeMs: 1_700_000_000_000.25 },
  { type: "sync_check", clientPosMs: 0, clientTimeMs: 0 },
  { type: "sync_check", clientPosMs: DAY_MS, clientTimeMs: 1 },
  { type: "sync_check", clientPosMs: DAY_MS + 1, clientTimeMs: 1 },
  { type: "sync_check", clientPosMs: -1, clientTimeMs: 1 },
  { type: "sync_check", clientPosMs: 1, clientTimeMs: -1 },
  { type: "sync_check", clientPosMs: "1", clientTimeMs: 1 },
  { type: "sync_check", clientPosMs: 1 },
  { type: "sync_check", clientPosMs: 1, clientTimeMs: 2, extra: true },
  { type: "SEEK", id: "a", seekPositionMs: 1 },
  { type: "EXPLODE" },
  [],
  null,
  "time_ping",
];

describe("hand-checked hot frames", () => {
  it.each(CASES.map((value) => [JSON.stringify(value), value]))("[SS20] %s: accepted only where the schema accepts it, with the same fields", (_label, value) => {
    const hot = hotClientMessage(value);
    const schema = validateClientMessage(value);
    if (hot) {
      expect(schema.ok).toBe(true);
      if (schema.ok) expect(hot).toEqual(schema.message);
    }
    const isHotType = (value as { type?: unknown } | null)?.type;
    // Every well-formed time_ping and sync_check without extra fields takes the hand-checked path.
    if (schema.ok && (isHotType === "time_ping" || isHotType === "sync_check") && Object.keys(value as object).length === (isHotType === "time_ping" ? 2 : 3)) {
      expect(hot).not.toBeNull();
    }
  });

  it("[LT3] counts a time_ping's fields without trusting inherited ones", () => {
    expect(hasExtraPingFields({ type: "time_ping", t0: 1 })).toBe(false);
    expect(hasExtraPingFields({ type: "time_ping", t0: 1, rttMs: 2 })).toBe(true);
    const inherited = Object.assign(Object.create({ rttMs: 2 }) as object, { type: "time_ping", t0: 1 });
    expect(hasExtraPingFields(inherited)).toBe(false);
  });
});
