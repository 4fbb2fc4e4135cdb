import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { hasExtraPingFields, hotClientFrame, hotClientMessage } from "./hot-messages.js";
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

/** Texts around every edge of the canonical frames: numbers JSON does and does not allow, near misses of the layout. */
const TEXTS: string[] = [
  ...CASES.map((value) => JSON.stringify(value)),
  '{"type":"time_ping","t0":-0}',
  '{"type":"time_ping","t0":1e3}',
  '{"type":"time_ping","t0":1E+2}',
  '{"type":"time_ping","t0":1e400}',
  '{"type":"time_ping","t0":0.1}',
  '{"type":"time_ping","t0":.5}',
  '{"type":"time_ping","t0":5.}',
  '{"type":"time_ping","t0":01}',
  '{"type":"time_ping","t0":+1}',
  '{"type":"time_ping","t0":0x10}',
  '{"type":"time_ping","t0":Infinity}',
  '{"type":"time_ping","t0":NaN}',
  '{"type":"time_ping","t0": 1}',
  '{"type":"time_ping","t0":1 }',
  '{"type":"time_ping","t0":}',
  '{"type":"time_ping","t0":1}}',
  '{"type":"time_ping","t0":1,"rttMs":2}',
  '{"type":"time_ping","t0":"1"}',
  '{"type":"time_ping","t0":1',
  '{"type":"sync_check","clientPosMs":1.5,"clientTimeMs":2e3}',
  '{"type":"sync_check","clientPosMs":-0,"clientTimeMs":0}',
  '{"type":"sync_check","clientPosMs":1,"clientTimeMs":2,"clientTimeMs":3}',
  '{"type":"sync_check","clientPosMs":1,"clientTimeMs":2,"x":3}',
  '{"type":"sync_check","clientPosMs":1,"clientTimeMs":"2"}',
  '{"type":"sync_check","clientPosMs":1,"clientTimeMs":}',
  '{"type":"sync_check","clientPosMs":,"clientTimeMs":2}',
  '{"type":"sync_check","clientPosMs":1,"clientTimeMs":1e999}',
  `{"type":"sync_check","clientPosMs":${DAY_MS + 0.5},"clientTimeMs":1}`,
  '{"type":"sync_check","clientTimeMs":2,"clientPosMs":1}',
  '{"type":"sync_check","clientPosMs":1}',
  "",
  "}",
];

/** What a full decode makes of `text`: the schema's message, or null where JSON or the schema refuse it. */
function fullDecode(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const result = validateClientMessage(value);
  return result.ok ? result.message : null;
}

describe("hot frames read from their text", () => {
  it.each(TEXTS.map((text) => [text]))("[SS20] %s: read only where the full decode accepts it, with the same fields", (text) => {
    const hot = hotClientFrame(text);
    const full = fullDecode(text);
    if (hot) expect(hot).toEqual(full);
  });

  it("[SS20] reads the frames the engine writes, -0 and exponents included", () => {
    expect(hotClientFrame(JSON.stringify({ type: "time_ping", t0: 1234.5678 }))).toEqual({ type: "time_ping", t0: 1234.5678 });
    expect(hotClientFrame('{"type":"time_ping","t0":-0}')).toStrictEqual({ type: "time_ping", t0: -0 });
    expect(hotClientFrame(JSON.stringify({ type: "sync_check", clientPosMs: 12.25, clientTimeMs: 1e21 }))).toEqual({ type: "sync_check", clientPosMs: 12.25, clientTimeMs: 1e21 });
  });

  it("[SS20] agrees with the full decode on generated frames", () => {
    const numberText = fc.oneof(
      fc.double().map((n) => JSON.stringify(n)),
      fc.stringMatching(/^[-+.0-9eE]{1,8}$/),
    );
    const frame = fc.oneof(
      numberText.map((t0) => `{"type":"time_ping","t0":${t0}}`),
      fc.tuple(numberText, numberText).map(([pos, time]) => `{"type":"sync_check","clientPosMs":${pos},"clientTimeMs":${time}}`),
    );
    fc.assert(
      fc.property(frame, (text) => {
        const hot = hotClientFrame(text);
        const full = fullDecode(text);
        expect(hot).toEqual(full);
      }),
      { numRuns: 2_000 },
    );
  });
});
