import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { verifyTicket } from "@sync-beats/ticket";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeWav } from "@sync-beats/demo-tracks";
import { type Client, describeEachBackend, errorCode, startTestApi, type TestApi, uniqueName, WEB_ORIGIN } from "../harness.js";

/**
 * Attacks on the REST API, each refused (SECURITY.md maps threats to these ids). Runs on SQLite,
 * and on PostgreSQL when TEST_DATABASE_URL is set.
 */

const FOREIGN_ORIGINS = ["http://evil.example", "null", "http://localhost:3000.evil.example", "https://localhost:3000", "http://localhost:3001"];

function wav(seconds = 0.5): Buffer {
  return encodeWav({ sampleRate: 8000, channels: 1, format: "pcm16", frames: Math.round(seconds * 8000), sample: (f) => Math.sin(f / 9) * 0.4 });
}

function form(bytes: Uint8Array, fileName: string, type: string): FormData {
  const data = new FormData();
  data.append("file", new Blob([new Uint8Array(bytes)], { type }), fileName);
  return data;
}

describeEachBackend("API attacks", (backend) => {
  let api: TestApi;
  let host: Client;
  let guest: Client;
  let hostUser: { id: string };
  let guestUser: { id: string };
  let code: string;

  beforeAll(async () => {
    api = await startTestApi(backend, { seedDemoTracks: false, env: { TRACK_UPLOAD_MAX_BYTES: "100000" } });
    host = api.client();
    guest = api.client();
    hostUser = await host.signup(uniqueName("host"));
    guestUser = await guest.signup(uniqueName("guest"));
    const created = await host.post("/api/rooms", { name: "Hardening room" });
    code = ((await created.json()) as { room: { code: string } }).room.code;
    expect((await guest.post(`/api/rooms/${code}/join`)).status).toBe(200);
  });
  afterAll(() => api.dispose());

  const roomState = async () => {
    const room = (await (await api.client().get(`/api/rooms/${code}`)).json()) as { room: unknown };
    const participants = await (await api.client().get(`/api/rooms/${code}/participants`)).json();
    return { room: room.room, participants };
  };

  describe("CSRF: a foreign Origin on every state-changing route is refused, and nothing changes", () => {
    const routes: [string, string, () => unknown][] = [
      ["POST", "/auth/signup", () => ({ username: uniqueName("csrf"), password: "correct horse" })],
      ["POST", "/auth/login", () => ({ username: "whoever", password: "whatever1" })],
      ["POST", "/auth/logout", () => undefined],
      ["POST", "/api/rooms", () => ({ name: "csrf room" })],
      ["PATCH", "/api/rooms/:code", () => ({ listenersCanControl: true, name: "pwned" })],
      ["POST", "/api/rooms/:code/join", () => undefined],
      ["POST", "/api/rooms/:code/leave", () => undefined],
      ["POST", "/api/rooms/:code/host", () => ({ userId: "attacker" })],
      ["POST", "/api/rooms/:code/ticket", () => undefined],
      ["DELETE", "/api/rooms/:code", () => undefined],
    ];
    it.each(routes)("[SEC-A1] %s %s", async (method, path, body) => {
      const before = await roomState();
      for (const origin of FOREIGN_ORIGINS) {
        const response = await host.call(method, path.replace(":code", code), { json: body(), origin });
        expect(response.status, `${origin}`).toBe(403);
        expect(await errorCode(response)).toBe("BAD_ORIGIN");
        expect(response.headers.get("access-control-allow-origin")).toBeNull();
      }
      expect(await roomState()).toEqual(before);
      expect((await host.get("/auth/dashboard")).status).toBe(200);
    });

    it("[SEC-A1] POST /api/tracks (multipart upload)", async () => {
      const before = readdirSync(api.config.tracksDir).length;
      const response = await host.call("POST", "/api/tracks", { body: form(wav(), "a.wav", "audio/wav"), origin: "http://evil.example" });
      expect(response.status).toBe(403);
      expect(readdirSync(api.config.tracksDir)).toHaveLength(before);
    });

    it("[SEC-A2] a text/plain 'simple request' from a foreign origin cannot smuggle JSON past the guard", async () => {
      const response = await host.call("POST", "/api/rooms", {
        body: JSON.stringify({ name: "smuggled" }),
        headers: { "content-type": "text/plain" },
        origin: "http://evil.example",
      });
      expect(response.status).toBe(403);
      const mine = (await (await host.get("/api/rooms/mine")).json()) as { rooms: { name: string }[] };
      expect(mine.rooms.map((r) => r.name)).not.toContain("smuggled");
    });
  });

  describe("CORS", () => {
    it.each(["/healthz", "/auth/dashboard", "/api/rooms", "/api/tracks"])("[SEC-A3] %s gives a foreign origin no Access-Control-Allow-Origin, even preflighted", async (path) => {
      for (const origin of FOREIGN_ORIGINS) {
        const simple = await host.get(path, { origin });
        // (cors sends Allow-Credentials to everyone; without Allow-Origin the browser still blocks.)
        expect(simple.headers.get("access-control-allow-origin")).toBeNull();
        const preflight = await host.call("OPTIONS", path, { origin, headers: { "access-control-request-method": "POST", "access-control-request-headers": "content-type" } });
        expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
      }
      expect((await host.get(path, { origin: WEB_ORIGIN })).headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
    });
  });

  describe("sessions", () => {
    it("[SEC-A4] session fixation: a planted session id is replaced on login and never becomes the victim's", async () => {
      const attacker = api.client();
      await attacker.signup(uniqueName("fixer"));
      const planted = attacker.sid!;
      const victimName = uniqueName("victim");
      await api.client().signup(victimName, "victim password 1");
      const victim = api.client();
      victim.cookies.set("sb.sid", planted);
      expect((await victim.post("/auth/login", { username: victimName, password: "victim password 1" })).status).toBe(200);
      expect(victim.sid).not.toBe(planted);
      const attackerView = (await (await attacker.get("/auth/dashboard")).json()) as { user?: { username: string } };
      expect(attackerView.user?.username).not.toBe(victimName);
    });

    it("[SEC-A5] a forged, unsigned or re-signed session cookie is 401", async () => {
      const sid = decodeURIComponent(host.sid!);
      const raw = sid.slice(2, sid.lastIndexOf("."));
      for (const cookie of [`sb.sid=${encodeURIComponent(`s:${raw}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`)}`, `sb.sid=${raw}`, "sb.sid=s%3A..", `sb.sid=${"x".repeat(5000)}`]) {
        const response = await api.client().get("/auth/dashboard", { headers: { cookie } });
        expect(response.status, cookie.slice(0, 40)).toBe(401);
      }
    });

    it("[SEC-A6] cookie flags: HttpOnly, SameSite=Lax, Path=/, host-only (no Domain), bounded lifetime", async () => {
      const client = api.client();
      await client.signup(uniqueName("flags"));
      const cookie = client.lastSetCookie.find((c) => c.startsWith("sb.sid="))!;
      expect(cookie).toMatch(/; HttpOnly/i);
      expect(cookie).toMatch(/; SameSite=Lax/i);
      expect(cookie).toMatch(/; Path=\//i);
      expect(cookie).not.toMatch(/; Domain=/i);
      expect(cookie).toMatch(/; Expires=/i);
    });
  });

  describe("login brute force and enumeration", () => {
    it("[SEC-A7] unknown user, wrong password, empty-ish and SQL-ish usernames all get the same 401 body", async () => {
      const name = uniqueName("enum");
      await api.client().signup(name, "the real password");
      const bodies = new Set<string>();
      for (const body of [
        { username: name, password: "wrong password" },
        { username: uniqueName("nobody"), password: "wrong password" },
        { username: name.toUpperCase(), password: "wrong password" },
        { username: "' OR '1'='1", password: "' OR '1'='1" },
        { username: `${name}' --`, password: "x" },
        { username: "admin", password: "admin" },
      ]) {
        const response = await api.client().post("/auth/login", body);
        expect(response.status).toBe(401);
        bodies.add(await response.text());
      }
      expect([...bodies]).toEqual([JSON.stringify({ error: { code: "INVALID_CREDENTIALS", message: "wrong username or password" } })]);
    });
  });

  describe("uploads", () => {
    const traversal = ["../../../../etc/passwd.wav", "..\\..\\..\\windows\\win.ini.wav", "/etc/cron.d/evil.wav", "%2e%2e%2f%2e%2e%2fescape.wav", "a.wav;.sh", "....//....//x.wav"];
    it.each(traversal)("[SEC-A8] file name %j stays a title: the file lands under a server-made name inside the library", async (fileName) => {
      const outside = join(dirname(api.config.tracksDir), "escape.wav");
      const response = await host.call("POST", "/api/tracks", { body: form(wav(), fileName, "audio/wav") });
      expect(response.status).toBe(201);
      const { track } = (await response.json()) as { track: { id: string; title: string } };
      expect(track.title).not.toMatch(/[/]|\.\./);
      expect(readdirSync(api.config.tracksDir).every((name) => /^[A-Za-z0-9_-]+\.[a-z0-9]+$/.test(name))).toBe(true);
      expect(existsSync(outside)).toBe(false);
    });

    const spoofs: [string, Uint8Array, string, string][] = [
      ["HTML declared audio/wav", Buffer.from("<html><script>alert(document.cookie)</script></html>"), "x.wav", "audio/wav"],
      ["SVG declared audio/mpeg", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), "x.mp3", "audio/mpeg"],
      ["a shell script declared audio/ogg", Buffer.from("#!/bin/sh\nrm -rf /\n"), "x.ogg", "audio/ogg"],
      ["a WAV header with no samples", Buffer.from("RIFF\u0024\u0000\u0000\u0000WAVEfmt "), "x.wav", "audio/wav"],
      ["real audio declared text/html", wav(), "x.html", "text/html"],
      ["real audio declared application/octet-stream", wav(), "x.wav", "application/octet-stream"],
    ];
    it.each(spoofs)("[SEC-A9] MIME spoofing: %s is refused with 415 and nothing is stored", async (_label, bytes, name, type) => {
      const before = readdirSync(api.config.tracksDir).length;
      const response = await host.call("POST", "/api/tracks", { body: form(bytes, name, type) });
      expect(response.status).toBe(415);
      expect(await errorCode(response)).toBe("UNSUPPORTED_MEDIA_TYPE");
      expect(readdirSync(api.config.tracksDir)).toHaveLength(before);
    });

    it("[SEC-A10] stored audio is served with its sniffed type and nosniff, never as the client declared", async () => {
      const response = await host.call("POST", "/api/tracks", { body: form(wav(), "song.html", "audio/x-whatever") });
      expect(response.status).toBe(201);
      const { track } = (await response.json()) as { track: { id: string } };
      const audio = await api.client().get(`/api/tracks/${track.id}/audio`);
      expect(audio.headers.get("content-type")).toBe("audio/wav");
      expect(audio.headers.get("x-content-type-options")).toBe("nosniff");
      expect(audio.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
    });

    it("[SEC-A11] oversized uploads (announced, or streamed without a length) and oversized JSON are refused with 413", async () => {
      const before = readdirSync(api.config.tracksDir).length;
      const big = await host.call("POST", "/api/tracks", { body: form(wav(8), "big.wav", "audio/wav") });
      expect(big.status).toBe(413);
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(`--b\r\nContent-Disposition: form-data; name="file"; filename="s.wav"\r\nContent-Type: audio/wav\r\n\r\n`));
          controller.enqueue(new Uint8Array(300_000));
          controller.enqueue(new TextEncoder().encode("\r\n--b--\r\n"));
          controller.close();
        },
      });
      const streamed = await fetch(`${api.url}/api/tracks`, {
        method: "POST",
        body,
        duplex: "half",
        headers: { cookie: `sb.sid=${host.sid}`, origin: WEB_ORIGIN, "content-type": "multipart/form-data; boundary=b" },
      } as RequestInit);
      expect(streamed.status).toBe(413);
      const json = await host.post("/api/rooms", { name: "x", pad: "y".repeat(40_000) });
      expect(json.status).toBe(413);
      expect(await errorCode(json)).toBe("PAYLOAD_TOO_LARGE");
      expect(readdirSync(api.config.tracksDir)).toHaveLength(before);
    });

    it("[SEC-A12] path traversal in track and room ids is 400/404, never a file", async () => {
      for (const id of ["..%2f..%2fetc%2fpasswd", "..%252f..%252fetc%252fpasswd", "%2e%2e", "..", "demo-timecode%00.wav", "a/../../b"]) {
        const response = await api.client().get(`/api/tracks/${id}/audio`);
        expect([400, 404], id).toContain(response.status);
        expect(response.headers.get("content-type")).toMatch(/application\/json/);
      }
      for (const bad of ["..%2fapi", "ABC%27--", "%00"]) {
        expect([400, 404]).toContain((await api.client().get(`/api/rooms/${bad}`)).status);
      }
    });
  });

  describe("room authority", () => {
    it("[SEC-A13] a guest cannot transfer the room to anyone, themselves included", async () => {
      for (const userId of [guestUser.id, hostUser.id, "nobody"]) {
        const response = await guest.post(`/api/rooms/${code}/owner`, { userId });
        expect(response.status).toBe(403);
        expect(await errorCode(response)).toBe("NOT_OWNER");
      }
      expect(((await roomState()).room as { owner: { userId: string } }).owner.userId).toBe(hostUser.id);
    });

    it("[SEC-A14] a guest cannot toggle listenersCanControl, rename or hide the room; extra fields are refused", async () => {
      const before = await roomState();
      for (const patch of [{ listenersCanControl: true }, { name: "pwned" }, { isPublic: false }]) {
        const response = await guest.patch(`/api/rooms/${code}`, patch);
        expect(response.status).toBe(403);
      }
      const sneaky = await host.patch(`/api/rooms/${code}`, { ownerUserId: guestUser.id, code: "AAAAAA" });
      expect(sneaky.status).toBe(400);
      expect(await roomState()).toEqual(before);
    });

    it("[SEC-A15] a guest's ticket names the real owner and the room's control setting; a stranger without a session gets no ticket", async () => {
      const response = await guest.post(`/api/rooms/${code}/ticket`);
      const { ticket } = (await response.json()) as { ticket: string };
      const verified = verifyTicket(ticket, api.config.syncSecret, { roomCode: code, nowMs: Date.now() });
      expect(verified.ok && verified.claims).toMatchObject({ userId: guestUser.id, room: { ownerId: hostUser.id, listenersCanControl: false } });
      expect(response.headers.get("cache-control")).toBe("no-store");
      const anonymous = await api.client().post(`/api/rooms/${code}/ticket`);
      expect(anonymous.status).toBe(401);
    });

    it("[SEC-A16] prototype-pollution keys in JSON bodies change nothing and pollute nothing", async () => {
      const before = await roomState();
      const poison = '{"__proto__":{"isOwner":true,"ownerUserId":"x","polluted":1},"constructor":{"prototype":{"polluted":1}}';
      for (const [method, path, body] of [
        ["PATCH", `/api/rooms/${code}`, `${poison},"listenersCanControl":true}`],
        ["POST", `/api/rooms/${code}/owner`, `${poison},"userId":"${guestUser.id}"}`],
        ["POST", "/api/rooms", `${poison},"name":"proto"}`],
        ["POST", "/auth/login", `${poison},"username":"a","password":"b"}`],
      ] as const) {
        const response = await guest.call(method, path, { body, headers: { "content-type": "application/json" } });
        expect(response.status, path).toBeLessThan(500);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(await roomState()).toEqual(before);
    });
  });

  describe("SQL injection", () => {
    const payloads = ["' OR '1'='1", "'; DROP TABLE users; --", "\" OR \"\"=\"", "1; SELECT pg_sleep(5)--", "') UNION SELECT password_hash FROM users --", "%' --", "\\'; --"];

    it("[SEC-A17] in signup display names, room names and renames: stored verbatim, tables intact", async () => {
      for (const payload of payloads) {
        const client = api.client();
        const signup = await client.post("/auth/signup", { username: uniqueName("sqli"), password: payload.padEnd(8, "x"), displayName: payload });
        expect(signup.status).toBe(201);
        expect(((await signup.json()) as { user: { displayName: string } }).user.displayName).toBe(payload.trim());
        const room = await client.post("/api/rooms", { name: payload });
        expect(room.status).toBe(201);
        const created = (await room.json()) as { room: { code: string; name: string } };
        expect(created.room.name).toBe(payload.trim());
        const renamed = await client.patch(`/api/rooms/${created.room.code}`, { name: `${payload} 2` });
        expect(((await renamed.json()) as { room: { name: string } }).room.name).toBe(`${payload} 2`.trim());
      }
      expect((await host.get("/auth/dashboard")).status).toBe(200);
      expect((await api.client().get("/api/rooms")).status).toBe(200);
    });

    it("[SEC-A18] in usernames, room codes, user ids, track ids and query strings: 400/401/404, never 500", async () => {
      for (const payload of payloads) {
        const enc = encodeURIComponent(payload);
        const answers = [
          await api.client().post("/auth/signup", { username: payload, password: "correct horse" }),
          await api.client().get(`/api/rooms/${enc}`),
          await api.client().get(`/api/rooms/${enc}/participants`),
          await host.post(`/api/rooms/${enc}/join`),
          await host.post(`/api/rooms/${code}/host`, { userId: payload }),
          await host.get(`/api/tracks/${enc}`),
          await api.client().get(`/api/tracks/${enc}/audio`),
          await api.client().get(`/api/rooms?limit=${enc}`),
        ];
        for (const response of answers) {
          expect([400, 401, 404], `${response.url} ${payload}`).toContain(response.status);
          expect(await errorCode(response)).toMatch(/^[A-Z_]+$/);
        }
      }
      expect(((await roomState()).room as { owner: { userId: string } }).owner.userId).toBe(hostUser.id);
    });

    it("[SEC-A25] NUL and control characters in names are refused with 400 on both databases (was B5: 500 on PostgreSQL)", async () => {
      const before = await roomState();
      for (const name of ["a\u0000b", "\u0000", "line\nbreak", "bell\u0007"]) {
        const room = await host.post("/api/rooms", { name });
        expect(room.status, JSON.stringify(name)).toBe(400);
        expect(await errorCode(room)).toBe("VALIDATION_FAILED");
        expect((await host.patch(`/api/rooms/${code}`, { name })).status).toBe(400);
        const signup = await api.client().post("/auth/signup", { username: uniqueName("nul"), password: "correct horse", displayName: name });
        expect(signup.status).toBe(400);
      }
      expect(await roomState()).toEqual(before);
    });

    it("[SEC-A19] in track titles and artists from uploaded metadata: stored verbatim", async () => {
      const title = "'; DROP TABLE tracks; --";
      const response = await host.call("POST", "/api/tracks", {
        body: form(encodeWav({ sampleRate: 8000, channels: 1, format: "pcm16", frames: 4000, sample: () => 0, title, artist: "\" OR 1=1 --" }), "t.wav", "audio/wav"),
      });
      expect(response.status).toBe(201);
      const { track } = (await response.json()) as { track: { id: string; title: string; artist: string } };
      expect(track).toMatchObject({ title, artist: "\" OR 1=1 --" });
      const list = (await (await host.get("/api/tracks")).json()) as { tracks: { id: string }[] };
      expect(list.tracks.map((t) => t.id)).toContain(track.id);
    });
  });
});

describe("login throttling (SQLite)", () => {
  it("[SEC-A20] password guessing is cut off with 429 RATE_LIMITED, for known and unknown users alike", async () => {
    const api = await startTestApi("sqlite", { seedDemoTracks: false, env: { LOGIN_RATE_LIMIT_MAX: "5" } });
    try {
      const name = uniqueName("brute");
      await api.client().signup(name, "the real password");
      const attacker = api.client();
      const statuses: number[] = [];
      for (let i = 0; i < 12; i += 1) statuses.push((await attacker.post("/auth/login", { username: i % 2 ? name : uniqueName("ghost"), password: `guess ${i}` })).status);
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(new Set(statuses.slice(5))).toEqual(new Set([429]));
      // Even the right password is refused while limited: guessing cannot be confirmed.
      expect((await attacker.post("/auth/login", { username: name, password: "the real password" })).status).toBe(429);
    } finally {
      await api.dispose();
    }
  });

  it("[SEC-A21] the client address cannot be forged with X-Forwarded-For unless TRUST_PROXY is set", async () => {
    const api = await startTestApi("sqlite", { seedDemoTracks: false, env: { LOGIN_RATE_LIMIT_MAX: "3" } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) {
        statuses.push((await api.client().post("/auth/login", { username: "victim", password: `guess ${i}` }, { headers: { "x-forwarded-for": `203.0.113.${i}` } })).status);
      }
      expect(statuses.slice(3)).toEqual([429, 429, 429]);
    } finally {
      await api.dispose();
    }
  });
});

describe("secrets in logs", () => {
  it("[SEC-A22] a full flow logged at debug level never shows a password, session id, ticket or secret", async () => {
    const lines: string[] = [];
    const api = await startTestApi("sqlite", { seedDemoTracks: false, logLines: lines });
    try {
      const password = "a-Distinctive-Passw0rd";
      const client = api.client();
      const name = uniqueName("logme");
      await client.signup(name, password);
      await client.post("/auth/login", { username: name, password: `${password}-wrong` });
      await client.post("/auth/login", { username: name, password });
      const room = (await (await client.post("/api/rooms", { name: "logged" })).json()) as { room: { code: string } };
      const { ticket } = (await (await client.post(`/api/rooms/${room.room.code}/ticket`)).json()) as { ticket: string };
      await client.call("POST", "/api/tracks", { body: form(wav(), "x.wav", "audio/wav") });
      await client.post("/api/rooms", { name: "x".repeat(100), password });
      await client.post("/auth/login", "{ not json", { headers: { "content-type": "application/json" } });
      const sid = decodeURIComponent(client.sid!);
      await client.post("/auth/logout");
      const all = lines.join("\n");
      expect(lines.length).toBeGreaterThan(5);
      for (const secret of [password, sid, sid.slice(2, sid.lastIndexOf(".")), ticket, ticket.split(".")[1]!, api.config.sessionSecret, api.config.syncSecret]) {
        expect(all).not.toContain(secret);
      }
    } finally {
      await api.dispose();
    }
  });
});
