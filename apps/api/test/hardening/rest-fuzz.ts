import { readdirSync } from "node:fs";
import { createClient } from "@libsql/client";
import {
  ApiErrorBody,
  HealthResponse,
  OkResponse,
  ParticipantListResponse,
  RoomListResponse,
  RoomResponse,
  SessionResponse,
  TicketResponse,
  TrackListResponse,
  TrackResponse,
  UserResponse,
} from "@sync-beats/protocol";
import fc from "fast-check";
import pg from "pg";
import type { z } from "zod";
import { encodeWav } from "@sync-beats/demo-tracks";
import { type Backend, type Client, startTestApi, type TestApi, uniqueName, WEB_ORIGIN } from "../harness.js";

/**
 * REST fuzz: generated requests to every route (valid bodies, mutated bodies, random JSON, wrong
 * content types, odd path parameters, query strings, Range headers, multipart uploads) from the
 * host, a guest or nobody. Every answer must be below 500; every refusal a `{ error: { code,
 * message } }` whose status matches its code, with the database and the track directory exactly
 * as before the request; every success a body of the protocol's response schema.
 */

// Written out again on purpose (errors.ts keeps its own copy private): the fuzz checks the API
// against the status each code promises in the protocol's comments, not against itself.
const STATUS: Record<string, number> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  BAD_ORIGIN: 403,
  NOT_OWNER: 403,
  NOT_IN_ROOM: 403,
  NOT_FOUND: 404,
  USERNAME_TAKEN: 409,
  NOT_PARTICIPANT: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RANGE_NOT_SATISFIABLE: 416,
  RATE_LIMITED: 429,
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Route {
  method: string;
  path: string;
  /** Schema of a 2xx body; null for the audio bytes. */
  ok: z.ZodType | null;
  body?: fc.Arbitrary<Json>;
}

// NUL and other control characters included: they once answered 500 on PostgreSQL (B5, fixed in
// 7e7075c; regression test SEC-A25).
const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.constantFrom("' OR '1'='1", "'; DROP TABLE users; --", "<img src=x onerror=alert(1)>", "admin", " ", "", "a".repeat(81), "..", "\\", "%00", "a\u0000b", "\u0000"),
);
const username = fc.oneof(fc.stringMatching(/^[a-z0-9_.-]{3,32}$/), text);
const password = fc.oneof(fc.string({ minLength: 8, maxLength: 40 }), text);
const bool = fc.oneof(fc.boolean(), fc.constantFrom<Json>("true", 1, 0, null));

const routes: Route[] = [
  { method: "POST", path: "/auth/signup", ok: UserResponse, body: fc.record({ username, password, displayName: text }, { requiredKeys: ["username", "password"] }) },
  { method: "POST", path: "/auth/login", ok: UserResponse, body: fc.record({ username, password }) },
  { method: "GET", path: "/auth/dashboard", ok: UserResponse },
  { method: "GET", path: "/auth/session", ok: SessionResponse },
  { method: "POST", path: "/auth/logout", ok: OkResponse },
  { method: "GET", path: "/api/rooms", ok: RoomListResponse },
  { method: "GET", path: "/api/rooms/mine", ok: RoomListResponse },
  { method: "POST", path: "/api/rooms", ok: RoomResponse, body: fc.record({ name: text, isPublic: bool, listenersCanControl: bool }, { requiredKeys: ["name"] }) },
  { method: "GET", path: "/api/rooms/:code", ok: RoomResponse },
  { method: "PATCH", path: "/api/rooms/:code", ok: RoomResponse, body: fc.record({ name: text, isPublic: bool, listenersCanControl: bool }, { requiredKeys: [] }) },
  { method: "POST", path: "/api/rooms/:code/join", ok: RoomResponse },
  { method: "POST", path: "/api/rooms/:code/leave", ok: OkResponse },
  { method: "GET", path: "/api/rooms/:code/participants", ok: ParticipantListResponse },
  { method: "POST", path: "/api/rooms/:code/owner", ok: RoomResponse, body: fc.record({ userId: fc.oneof(fc.constant("$guest"), fc.constant("$host"), text) }) },
  { method: "POST", path: "/api/rooms/:code/ticket", ok: TicketResponse },
  { method: "GET", path: "/api/tracks", ok: TrackListResponse },
  { method: "POST", path: "/api/tracks", ok: TrackResponse },
  { method: "GET", path: "/api/tracks/:id", ok: TrackResponse },
  { method: "DELETE", path: "/api/tracks/:id", ok: OkResponse },
  { method: "GET", path: "/api/tracks/:id/audio", ok: null },
  { method: "HEAD", path: "/api/tracks/:id/audio", ok: null },
  { method: "GET", path: "/healthz", ok: HealthResponse },
];

const oddValue: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  fc.constantFrom<Json>(null, "", -1, 1e308, [], {}, { $ne: null }, ["a", "b"], "x".repeat(300)),
  text,
);

function withOwn(target: Record<string, Json>, key: string, value: Json): Record<string, Json> {
  const copy = { ...target };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

type BodySpec =
  | { kind: "none" }
  | { kind: "json"; value: Json }
  | { kind: "raw"; text: string; contentType: string; contentEncoding?: string }
  | { kind: "upload"; file: "wav" | "random" | "html"; bytes: number[]; fileName: string; field: string; type: string };

const mutatedJson = (valid: fc.Arbitrary<Json>) =>
  fc.oneof(
    { weight: 3, arbitrary: valid },
    {
      weight: 4,
      arbitrary: fc
        .tuple(valid, fc.array(fc.tuple(fc.nat(), fc.string({ maxLength: 10 }), oddValue, fc.constantFrom("set", "add", "delete", "proto")), { minLength: 1, maxLength: 3 }))
        .map(([value, mutations]) => {
          let body = (typeof value === "object" && value !== null && !Array.isArray(value) ? value : {}) as Record<string, Json>;
          for (const [index, key, odd, op] of mutations) {
            const keys = Object.keys(body);
            if (op === "delete" && keys.length > 0) {
              body = { ...body };
              delete body[keys[index % keys.length]!];
            } else if (op === "set" && keys.length > 0) body = withOwn(body, keys[index % keys.length]!, odd);
            else if (op === "proto") body = withOwn(body, ["__proto__", "constructor", "prototype"][index % 3]!, { polluted: true, isOwner: true });
            else body = withOwn(body, key, odd);
          }
          return body as Json;
        }),
    },
    { weight: 1, arbitrary: oddValue },
  );

const bodyFor = (route: Route): fc.Arbitrary<BodySpec> => {
  if (route.path === "/api/tracks" && route.method === "POST") {
    return fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({
          kind: fc.constant("upload" as const),
          file: fc.constantFrom("wav" as const, "random" as const, "html" as const),
          bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 }),
          // Control characters and empty field names once answered 500 (B6, B7; fixed in 5214c2c, test [TU6]).
          fileName: fc.oneof(fc.constantFrom("a.wav", "../../x.wav", "x.mp3", ".wav", "a b.wav", "a.wav\u0000.sh", "\u0005"), text),
          field: fc.oneof({ weight: 4, arbitrary: fc.constant("file") }, fc.constantFrom("files", "", "title", "file[]")),
          type: fc.constantFrom("audio/wav", "audio/mpeg", "AUDIO/WAV", "text/html", "application/octet-stream", "audio/"),
        }),
      },
      { weight: 1, arbitrary: fc.constant({ kind: "none" as const }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("json" as const), value: oddValue }) },
    );
  }
  const valid: fc.Arbitrary<Json> = route.body ?? fc.constant({});
  return fc.oneof(
    { weight: 6, arbitrary: mutatedJson(valid).map((value): BodySpec => ({ kind: "json", value })) },
    { weight: 1, arbitrary: fc.constant<BodySpec>({ kind: "none" }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("raw" as const),
        text: fc.oneof(fc.string({ maxLength: 60 }), valid.map((v) => JSON.stringify(v).slice(0, -1)), fc.constantFrom("{", "[]", "null", '"x"', "1e999", "{\"a\":1,}", "username=a&password=b")),
        contentType: fc.constantFrom("application/json", "application/json; charset=utf-16", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1", "multipart/form-data; boundary=x", ""),
      }),
    },
    // A body that is not in the encoding it claims once answered 500 (zlib's Z_DATA_ERROR; issue 12, test [A18]).
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("raw" as const),
        text: valid.map((v) => JSON.stringify(v)),
        contentType: fc.constant("application/json"),
        contentEncoding: fc.constantFrom("gzip", "deflate", "br"),
      }),
    },
  );
};

export interface RestInput {
  route: number;
  auth: "host" | "guest" | "none";
  code: "room" | "missing" | string;
  id: "demo" | "missing" | string;
  query: string;
  origin: "web" | "none" | "evil";
  range: string | null;
  body: BodySpec;
}

/** Path parameters sent as written, not percent-encoded: they do not decode (a URIError once answered 500; issue 12, test [A18]). */
const UNDECODABLE = ["%", "%E0%A4%A", "%zz", "%C0%AF"];

const pathParam = fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{1,12}$/), text.filter((s) => s.length > 0), fc.constantFrom(...UNDECODABLE));

export const restInput: fc.Arbitrary<RestInput> = fc.integer({ min: 0, max: routes.length - 1 }).chain((route) =>
  fc.record({
    route: fc.constant(route),
    auth: fc.constantFrom("host" as const, "guest" as const, "none" as const),
    code: fc.oneof({ weight: 5, arbitrary: fc.constant("room") }, fc.constant("missing"), pathParam),
    id: fc.oneof({ weight: 5, arbitrary: fc.constant("demo") }, fc.constant("missing"), pathParam),
    query: fc.oneof({ weight: 4, arbitrary: fc.constant("") }, fc.constantFrom("?limit=1", "?limit=0", "?limit=101", "?limit=abc", "?limit=1&limit=2", "?limit[$gt]=1", "?__proto__[x]=1"), fc.string({ maxLength: 20 }).map((s) => `?limit=${encodeURIComponent(s)}`)),
    origin: fc.oneof({ weight: 8, arbitrary: fc.constant("web" as const) }, fc.constant("none" as const), fc.constant("evil" as const)),
    range: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, fc.constantFrom("bytes=0-0", "bytes=0-", "bytes=-10", "bytes=10-5", "bytes=999999999-", "bytes=0-1,5-6", "items=0-1", "bytes=-0", "bytes=--1"), fc.string({ maxLength: 20 })),
    body: bodyFor(routes[route]!),
  }),
);

/** Counts for the fuzz report. */
export const restCounters = { requests: 0, refused: 0, succeeded: 0, byStatus: new Map<number, number>() };

/** Rows of every table (session expiry aside: sliding sessions touch it on every request) and the track files. */
async function snapshotter(api: TestApi): Promise<{ take(): Promise<string>; close(): Promise<void> }> {
  const queries = [
    "SELECT id, username, display_name, password_hash FROM users ORDER BY id",
    "SELECT sid, user_id FROM sessions ORDER BY sid",
    "SELECT * FROM rooms ORDER BY code",
    "SELECT * FROM participants ORDER BY room_code, user_id",
    "SELECT * FROM tracks ORDER BY id",
  ];
  const files = () => readdirSync(api.config.tracksDir).sort().join(",");
  const target = api.target.target;
  if (target.kind === "postgres") {
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    return {
      async take() {
        const rows: unknown[] = [];
        for (const query of queries) rows.push((await client.query(query)).rows);
        return JSON.stringify([...rows, files()]);
      },
      close: () => client.end(),
    };
  }
  const client = createClient({ url: `file:${target.file}` });
  return {
    take: async () => JSON.stringify([...(await Promise.all(queries.map(async (q) => (await client.execute(q)).rows))), files()]),
    close: async () => client.close(),
  };
}

/** A running API with a host, a guest and a room, and a way to send one generated request and check it. */
export async function startRestFuzz(backend: Backend) {
  const api = await startTestApi(backend, {
    env: {
      TRACK_UPLOAD_MAX_BYTES: "100000",
      LOGIN_RATE_LIMIT_MAX: "1000000000",
      SIGNUP_RATE_LIMIT_MAX: "1000000000",
      ROOM_LOOKUP_RATE_LIMIT_MAX: "1000000000",
      ROOM_CREATE_RATE_LIMIT_MAX: "1000000000",
    },
  });
  const snapshot = await snapshotter(api);
  const password = "fuzz password 1";
  const names = { host: uniqueName("fzhost"), guest: uniqueName("fzguest") };
  const clients = { host: api.client(), guest: api.client() } as Record<"host" | "guest", Client>;
  const ids = { host: (await clients.host.signup(names.host, password)).id, guest: (await clients.guest.signup(names.guest, password)).id };
  const created = (await (await clients.host.post("/api/rooms", { name: "fuzz room" })).json()) as { room: { code: string } };
  const code = created.room.code;
  await clients.guest.post(`/api/rooms/${code}/join`);
  const wavBytes = encodeWav({ sampleRate: 8000, channels: 1, format: "pcm16", frames: 800, sample: (f) => Math.sin(f) * 0.3 });

  function requestOf(input: RestInput): { method: string; path: string; init: RequestInit & { headers: Record<string, string> } } {
    const route = routes[input.route]!;
    const param = (value: string, mine: string, missing: string) =>
      UNDECODABLE.includes(value) ? value : encodeURIComponent(value === "room" || value === "demo" ? mine : value === "missing" ? missing : value);
    const path =
      route.path.replace(":code", param(input.code, code, "ZZZZZZ")).replace(":id", param(input.id, "demo-chords", "no-such-track")) + input.query;
    const headers: Record<string, string> = {};
    if (input.origin === "web") headers.origin = WEB_ORIGIN;
    if (input.origin === "evil") headers.origin = "http://evil.example";
    if (input.range !== null) headers.range = input.range;
    let body: BodyInit | undefined;
    const b = input.body;
    if (route.method === "GET" || route.method === "HEAD") body = undefined;
    else if (b.kind === "json") {
      headers["content-type"] = "application/json";
      body = JSON.stringify(b.value, (_k, v: unknown) => (v === "$guest" ? ids.guest : v === "$host" ? ids.host : v));
    } else if (b.kind === "raw") {
      if (b.contentType) headers["content-type"] = b.contentType;
      if (b.contentEncoding) headers["content-encoding"] = b.contentEncoding;
      body = b.text;
    } else if (b.kind === "upload") {
      const bytes = b.file === "wav" ? wavBytes : b.file === "html" ? Buffer.from("<html><script>alert(1)</script>") : Buffer.from(b.bytes);
      const data = new FormData();
      data.append(b.field, new Blob([new Uint8Array(bytes)], { type: b.type }), b.fileName);
      body = data;
    }
    return { method: route.method, path, init: { method: route.method, headers, body } };
  }

  /** Keeps the host and guest logged in (a generated logout or login may have ended their sessions). */
  async function relogin(): Promise<void> {
    for (const who of ["host", "guest"] as const) {
      if ((await clients[who].get("/auth/dashboard")).status === 401) {
        const response = await clients[who].post("/auth/login", { username: names[who], password });
        if (response.status !== 200) throw new Error(`relogin ${who}: ${response.status}`);
      }
    }
  }

  async function send(input: RestInput): Promise<void> {
    const { method, path, init } = requestOf(input);
    // Signup and login replace the caller's session; the fixtures' sessions must survive them.
    const fresh = input.auth === "none" || path.startsWith("/auth/signup") || path.startsWith("/auth/login");
    const client = fresh ? api.client() : clients[input.auth as "host" | "guest"];
    const before = await snapshot.take();
    const response = await client.call(method, path, { body: init.body, headers: init.headers, origin: init.headers.origin ?? null });
    const status = response.status;
    restCounters.requests++;
    restCounters.byStatus.set(status, (restCounters.byStatus.get(status) ?? 0) + 1);
    const raw = method === "HEAD" ? "" : isAudioPath(path) && status < 300 ? "" : await response.text();
    const where = `${method} ${path} [${input.auth}, origin ${input.origin}] → ${status} ${raw.slice(0, 300)}\n  input: ${fc.stringify(input).slice(0, 1_000)}`;
    if (status >= 500) throw new Error(`server error: ${where}`);
    const schema = routes[input.route]!.ok;
    if (status >= 400) {
      restCounters.refused++;
      if (method !== "HEAD") {
        const parsed = ApiErrorBody.safeParse(JSON.parse(raw));
        if (!parsed.success) throw new Error(`refusal is not { error: { code, message } }: ${where}`);
        if (STATUS[parsed.data.error.code] !== status) throw new Error(`code ${parsed.data.error.code} with status ${status}: ${where}`);
      }
      const after = await snapshot.take();
      if (after !== before) throw new Error(`a refused request changed the database or the track files: ${where}`);
    } else {
      restCounters.succeeded++;
      if (schema && method !== "HEAD" && status !== 204) {
        const parsed = schema.safeParse(JSON.parse(raw));
        if (!parsed.success) throw new Error(`success body does not match the protocol: ${where}: ${parsed.error.message.slice(0, 300)}`);
      }
    }
    if (({} as Record<string, unknown>).polluted !== undefined) throw new Error(`Object.prototype polluted by ${where}`);
    if (input.auth !== "none" && (method === "POST" || method === "GET") && path.startsWith("/auth/")) await relogin();
  }

  return {
    api,
    send,
    property: (maxRequests = 10) =>
      fc.asyncProperty(fc.array(restInput, { minLength: 1, maxLength: maxRequests }), async (inputs) => {
        for (const input of inputs) await send(input);
      }),
    async close() {
      await snapshot.close();
      await api.dispose();
    },
  };
}

function isAudioPath(path: string): boolean {
  return /\/api\/tracks\/[^/]+\/audio/.test(path);
}
