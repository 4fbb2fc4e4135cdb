import { PROTOCOL_VERSIONS } from "@sync-beats/protocol";
import fc from "fast-check";

/**
 * Frame generators for the sync fuzzers: valid messages of every client type, the same messages
 * mutated (missing/extra/wrong-typed fields, prototype keys, truncated text, odd number literals,
 * duplicate keys), random JSON and text, deep nesting, frames at the size limit, binary frames.
 */

export const MAIN_ROOM = "ROOM42";
export const MAX_FRAME_BYTES = 16 * 1024;

/** One frame a client sends; `sync_check` is resolved against the server clock when sent. */
export type FrameSpec =
  | { kind: "text"; text: string }
  | { kind: "binary"; bytes: Uint8Array }
  | { kind: "syncCheck"; clientPosMs: number; offsetMs: number };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const unicodeText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom("<script>alert(1)</script>", "'; DROP TABLE rooms; --", "\u0000", "\u202e", "👩‍👩‍👧‍👦", " ", ""),
);

const audioUrl = fc.oneof(
  fc.constantFrom("/api/tracks/1/audio", "/x.wav", "https://cdn.example.com/a.mp3", "http://127.0.0.1:5001/api/tracks/2/audio"),
  fc.webUrl(),
);

const track = fc.record(
  {
    audioUrl,
    duration: fc.oneof(fc.integer({ min: 1, max: 600_000 }), fc.double({ min: 0.001, max: 86_400_000, noNaN: true })),
    trackId: fc.string({ minLength: 1, maxLength: 64 }),
    title: unicodeText,
    artist: unicodeText,
  },
  { requiredKeys: ["audioUrl", "duration"] },
);

const position = fc.oneof(fc.integer({ min: 0, max: 700_000 }), fc.double({ min: 0, max: 86_400_000, noNaN: true }));

const userId = fc.oneof(fc.constantFrom("host", "guest1", "guest2", "stranger", "a-b_C"), fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/));
const roomCode = fc.oneof(
  fc.constantFrom(MAIN_ROOM, " room42 ", "OTHER1", "ab3k9z"),
  fc.stringMatching(/^[A-Z0-9]{4,12}$/),
);

/** Mostly the range this build speaks; sometimes one below, above, overlapping, or upside down. */
const versionRange = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ ...PROTOCOL_VERSIONS }) },
  fc.record({ min: fc.integer({ min: -1, max: 5 }), max: fc.integer({ min: -1, max: 5 }) }),
);

/** Versions as a v2 client offers them (`versions`) or as a v1 client did (`protocolVersion`). */
const offer = fc.oneof(
  { weight: 8, arbitrary: versionRange.map((versions) => ({ versions })) },
  fc.integer({ min: -2, max: 5 }).map((protocolVersion) => ({ protocolVersion })),
  fc.constant({}),
);

/** Command ids: mostly valid (letters, digits, _.:-, 1-64), sometimes not readable. */
const commandId = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/) },
  fc.constantFrom<Json>("", "has space", "x".repeat(65), 7, null),
);

const command = (type: string) => commandId.map((id) => ({ type, id }));

/** Valid messages of every client type (as plain objects). */
export const validMessage: fc.Arbitrary<Record<string, Json>> = fc.oneof(
  fc
    .tuple(
      fc.record(
        { type: fc.constant("join"), roomCode, userId, name: unicodeText.filter((s) => s.trim().length > 0 && s.trim().length <= 64) },
        { requiredKeys: ["type", "roomCode", "userId"] },
      ),
      offer,
    )
    .map(([join, versions]) => ({ ...join, ...versions })),
  fc
    .tuple(command("PLAY"), track, fc.record({ positionMs: position }, { requiredKeys: [] }))
    .map(([head, t, rest]) => ({ ...t, ...rest, ...head })),
  fc.tuple(command("PAUSE"), fc.record({ positionMs: position }, { requiredKeys: [] })).map(([head, rest]) => ({ ...head, ...rest })),
  command("RESUME"),
  fc.tuple(command("SEEK"), position).map(([head, seekPositionMs]) => ({ ...head, seekPositionMs })),
  fc.tuple(command("TRACK_CHANGE"), track).map(([head, trackData]) => ({ ...head, trackData })),
  fc.record(
    // v1 clients sent their own rttMs; the server refuses such a probe (it measures round trips itself).
    { type: fc.constant("time_ping"), t0: fc.double({ noNaN: true, noDefaultInfinity: true }), rttMs: fc.integer({ min: 0, max: 800 }) },
    { requiredKeys: ["type", "t0"] },
  ),
  fc.record({ type: fc.constant("sync_check"), clientPosMs: position, clientTimeMs: fc.double({ min: 0, max: 2e12, noNaN: true }) }),
) as fc.Arbitrary<Record<string, Json>>;

/** Values that break naive code: wrong types, extremes, deep nesting, prototype-looking objects. */
const oddValue: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  fc.constantFrom<Json>(null, true, "", "0", "NaN", "Infinity", -1, -0, 1e308, -1e308, 5e-324, 2 ** 53 + 1, 86_400_001, [], {}, [null], { type: "PLAY" }),
  fc.integer({ min: 1, max: 40 }).map((depth) => nest(depth)),
  unicodeText,
);

function nest(depth: number): Json {
  let value: Json = 1;
  for (let index = 0; index < depth; index++) value = index % 2 ? [value] : { a: value };
  return value;
}

const PROTO_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf"] as const;

/** Sets an own, enumerable property, even `__proto__`, so JSON.stringify writes it out. */
function setOwn(target: Record<string, Json>, key: string, value: Json): Record<string, Json> {
  const copy = { ...target };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

const TYPES = ["join", "PLAY", "PAUSE", "RESUME", "SEEK", "TRACK_CHANGE", "time_ping", "sync_check", "room_settings"];

type Mutation =
  | { op: "delete"; index: number }
  | { op: "set"; index: number; value: Json }
  | { op: "add"; key: string; value: Json }
  | { op: "proto"; key: (typeof PROTO_KEYS)[number]; value: Json }
  | { op: "retype"; type: Json }
  | { op: "wrap" };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("delete" as const), index: fc.nat() }),
  fc.record({ op: fc.constant("set" as const), index: fc.nat(), value: oddValue }),
  fc.record({ op: fc.constant("add" as const), key: fc.string({ maxLength: 12 }), value: oddValue }),
  fc.record({ op: fc.constant("proto" as const), key: fc.constantFrom(...PROTO_KEYS), value: fc.oneof(oddValue, fc.constant<Json>({ isHost: true, polluted: 1, type: "PLAY" })) }),
  fc.record({
    op: fc.constant("retype" as const),
    type: fc.oneof(fc.constantFrom<Json>(...TYPES, "play", "Join", "__proto__", "constructor", "toString", "error", "joined", "PLAY_SYNC", 1, null), oddValue),
  }),
  fc.constant({ op: "wrap" as const }),
);

function mutate(message: Record<string, Json>, mutations: Mutation[]): Json {
  let value: Record<string, Json> = message;
  for (const m of mutations) {
    const keys = Object.keys(value);
    switch (m.op) {
      case "delete": {
        const copy = { ...value };
        delete copy[keys[m.index % keys.length]!];
        value = copy;
        break;
      }
      case "set":
        value = setOwn(value, keys[m.index % keys.length] ?? "type", m.value);
        break;
      case "add":
        value = setOwn(value, m.key, m.value);
        break;
      case "proto":
        value = setOwn(value, m.key, m.value);
        break;
      case "retype":
        value = setOwn(value, "type", m.type);
        break;
      case "wrap":
        return [value];
    }
  }
  return value;
}

type TextMutation =
  | { op: "truncate"; at: number }
  | { op: "number"; literal: string }
  | { op: "duplicateType"; type: string }
  | { op: "pad"; bytes: number; char: string }
  | { op: "none" };

const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ op: "none" as const }) },
  fc.record({ op: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("number" as const), literal: fc.constantFrom("1e309", "-1e309", "1e-400", "123456789012345678901234567890", "-0", "0.0000000000000000000001", "1E2") }),
  fc.record({ op: fc.constant("duplicateType" as const), type: fc.constantFrom(...TYPES, "nope") }),
  fc.record({
    op: fc.constant("pad" as const),
    bytes: fc.oneof(fc.integer({ min: MAX_FRAME_BYTES - 8, max: MAX_FRAME_BYTES + 8 }), fc.integer({ min: 0, max: 3 * MAX_FRAME_BYTES })),
    char: fc.constantFrom(" ", "é", "€", "😀"),
  }),
);

function applyText(text: string, m: TextMutation): string {
  switch (m.op) {
    case "none":
      return text;
    case "truncate":
      return text.slice(0, m.at % Math.max(1, text.length));
    case "number":
      return text.replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/i, m.literal);
    case "duplicateType":
      return text.startsWith("{") ? `{"type":${JSON.stringify(m.type)},${text.slice(1)}` : text;
    case "pad": {
      // Whitespace is legal JSON padding; multi-byte characters go inside a string field.
      if (m.char === " ") return text + " ".repeat(Math.max(0, m.bytes - Buffer.byteLength(text)));
      const charBytes = Buffer.byteLength(m.char);
      const fill = m.char.repeat(Math.max(0, Math.floor((m.bytes - Buffer.byteLength(text) - 10) / charBytes)));
      return text.startsWith("{") && text.length > 2 ? `{"pad":"${fill}",${text.slice(1)}` : text;
    }
  }
}

/** Deeply nested arrays/objects placed where a parser or validator might recurse. */
const deepFrame = fc
  .record({ depth: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1_000, max: 8_000 })), where: fc.constantFrom("root", "type", "field", "trackData"), bracket: fc.constantFrom("[", "{") })
  .map(({ depth, where, bracket }) => {
    // 5,000-deep arrays as `type` once overflowed the stack (B1, found here with seed 8001; fixed in 33dbd81, test [B1]).
    const deep = bracket === "[" ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
    switch (where) {
      case "root":
        return deep;
      case "type":
        return `{"type":${deep}}`;
      case "field":
        return `{"type":"SEEK","seekPositionMs":${deep}}`;
      default:
        return `{"type":"TRACK_CHANGE","trackData":${deep}}`;
    }
  });

const text = (t: fc.Arbitrary<string>) => t.map((value): FrameSpec => ({ kind: "text", text: value }));

/** Any frame a hostile or buggy client might send. */
export const anyFrame: fc.Arbitrary<FrameSpec> = fc.oneof(
  { weight: 6, arbitrary: text(validMessage.map((m) => JSON.stringify(m))) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("syncCheck" as const), clientPosMs: position, offsetMs: fc.oneof(fc.integer({ min: -6_000, max: 1_000 }), fc.integer({ min: -40_000, max: 40_000 })) }) },
  { weight: 6, arbitrary: text(fc.tuple(validMessage, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([m, ms]) => JSON.stringify(mutate(m, ms)))) },
  { weight: 3, arbitrary: text(fc.tuple(validMessage, textMutation).map(([m, tm]) => applyText(JSON.stringify(m), tm))) },
  { weight: 2, arbitrary: text(fc.jsonValue().map((v) => JSON.stringify(v) ?? "null")) },
  { weight: 1, arbitrary: text(fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), fc.string({ maxLength: 50 }))) },
  { weight: 1, arbitrary: text(deepFrame) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes): FrameSpec => ({ kind: "binary", bytes })) },
);

/** A step of a fuzz session: a frame from one connection, a burst of one frame, or time passing. */
export type Action =
  | { kind: "frame"; from: number; frame: FrameSpec }
  | { kind: "burst"; from: number; frame: FrameSpec; count: number }
  | { kind: "advance"; ms: number };

export function actions(connections: number, maxLength: number): fc.Arbitrary<Action[]> {
  const from = fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.integer({ min: 0, max: connections - 1 }) });
  return fc.array(
    fc.oneof(
      { weight: 10, arbitrary: fc.record({ kind: fc.constant("frame" as const), from, frame: anyFrame }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("burst" as const), from, frame: anyFrame, count: fc.integer({ min: 2, max: 100 }) }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant("advance" as const), ms: fc.oneof(fc.integer({ min: 0, max: 3_000 }), fc.integer({ min: 0, max: 700_000 })) }) },
    ),
    { minLength: 1, maxLength },
  );
}

/** Frames an action sends (for counting inputs). */
export function frameCount(list: Action[]): number {
  return list.reduce((sum, a) => sum + (a.kind === "frame" ? 1 : a.kind === "burst" ? a.count : 0), 0);
}
