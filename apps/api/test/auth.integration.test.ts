import { createClient } from "@libsql/client";
import { SessionResponse, UserResponse } from "@sync-beats/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachBackend, errorCode, startTestApi, uniqueName, WEB_ORIGIN, type TestApi } from "./harness.js";

/** The session id inside the signed cookie value `s:<sid>.<signature>`. */
function rawSid(cookie: string | undefined): string {
  const decoded = decodeURIComponent(cookie ?? "");
  return decoded.slice(2, decoded.lastIndexOf("."));
}

describeEachBackend("auth", (backend) => {
  let api: TestApi;
  const logLines: string[] = [];
  beforeAll(async () => {
    api = await startTestApi(backend, { seedDemoTracks: false, logLines });
  });
  afterAll(() => api.dispose());

  it("[A1] signup creates the account, logs in, and sets an httpOnly SameSite=Lax cookie", async () => {
    const client = api.client();
    const name = uniqueName("Alice");
    const response = await client.post("/auth/signup", { username: name, password: "correct horse", displayName: "Alice A." });
    expect(response.status).toBe(201);
    const { user } = UserResponse.parse(await response.json());
    expect(user).toMatchObject({ username: name.toLowerCase(), displayName: "Alice A." });
    const cookie = client.lastSetCookie.find((c) => c.startsWith("sb.sid="));
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/; Secure/i);
    const me = await client.get("/auth/dashboard");
    expect(me.status).toBe(200);
    expect(UserResponse.parse(await me.json()).user.id).toBe(user.id);
  });

  it("[A2] a duplicate username is refused, case-insensitively", async () => {
    const name = uniqueName("dup");
    await api.client().signup(name);
    const again = await api.client().post("/auth/signup", { username: name.toUpperCase(), password: "another password" });
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe("USERNAME_TAKEN");
  });

  it("[A3] invalid bodies get 400 VALIDATION_FAILED with issues; malformed JSON too", async () => {
    const bad = await api.client().post("/auth/signup", { username: "a b", password: "short" });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; issues: { path: string }[] } };
    expect(body.error.code).toBe("VALIDATION_FAILED");
    expect(body.error.issues.map((i) => i.path).sort()).toEqual(["password", "username"]);
    const malformed = await api.client().call("POST", "/auth/login", {
      body: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    expect(await errorCode(malformed)).toBe("VALIDATION_FAILED");
  });

  it("[A3b] control characters (NUL, which PostgreSQL refuses) are a 400 in names and a plain 401 at login", async () => {
    const nul = await api.client().post("/auth/signup", { username: uniqueName("nul"), password: "correct horse", displayName: "x\u0000y" });
    expect(nul.status).toBe(400);
    const login = await api.client().post("/auth/login", { username: "x\u0000y", password: "correct horse" });
    expect(login.status).toBe(401);
    expect(await errorCode(login)).toBe("INVALID_CREDENTIALS");
  });

  it("[A4] wrong password and unknown user get the same 401 answer (no enumeration)", async () => {
    const name = uniqueName("bob");
    await api.client().signup(name, "the right password");
    const wrong = await api.client().post("/auth/login", { username: name, password: "the wrong password" });
    const unknown = await api.client().post("/auth/login", { username: uniqueName("ghost"), password: "the wrong password" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
    const right = await api.client().post("/auth/login", { username: name.toUpperCase(), password: "the right password" });
    expect(right.status).toBe(200);
  });

  it("[A5] login regenerates the session id and deletes the old session row (no fixation)", async () => {
    const client = api.client();
    const name = uniqueName("carol");
    await client.signup(name);
    const before = rawSid(client.sid);
    expect(await api.server.db.repos.sessions.get(before, new Date())).not.toBeNull();
    const login = await client.post("/auth/login", { username: name, password: "correct horse battery" });
    expect(login.status).toBe(200);
    const after = rawSid(client.sid);
    expect(after).not.toBe(before);
    expect(await api.server.db.repos.sessions.get(before, new Date())).toBeNull();
    expect(await api.server.db.repos.sessions.get(after, new Date())).not.toBeNull();
  });

  it("[A6] logout destroys the session row, clears the cookie, and the old cookie stops working", async () => {
    const client = api.client();
    await client.signup(uniqueName("dave"));
    const cookie = client.sid!;
    const sid = rawSid(cookie);
    const out = await client.post("/auth/logout");
    expect(out.status).toBe(200);
    expect(await out.json()).toEqual({ ok: true });
    expect(client.lastSetCookie.some((c) => c.startsWith("sb.sid=;"))).toBe(true);
    expect(await api.server.db.repos.sessions.get(sid, new Date())).toBeNull();
    const replay = await api.client().get("/auth/dashboard", { headers: { cookie: `sb.sid=${cookie}` } });
    expect(replay.status).toBe(401);
  });

  it("[A6b] GET /auth/logout works too (spec route)", async () => {
    const client = api.client();
    await client.signup(uniqueName("erin"));
    expect((await client.get("/auth/logout")).status).toBe(200);
    expect((await client.get("/auth/dashboard")).status).toBe(401);
  });

  it("[A7] no session, or a forged cookie, is 401 UNAUTHENTICATED", async () => {
    const none = await api.client().get("/auth/dashboard");
    expect(none.status).toBe(401);
    expect(await errorCode(none)).toBe("UNAUTHENTICATED");
    const forged = await api.client().get("/auth/dashboard", { headers: { cookie: "sb.sid=s%3Aabc.forgedsignature" } });
    expect(forged.status).toBe(401);
  });

  it("[A19] GET /auth/session answers the user, or user null when signed out or forged", async () => {
    const none = await api.client().get("/auth/session");
    expect(none.status).toBe(200);
    expect(SessionResponse.parse(await none.json()).user).toBeNull();
    const forged = await api.client().get("/auth/session", { headers: { cookie: "sb.sid=s%3Aabc.forgedsignature" } });
    expect(forged.status).toBe(200);
    expect(SessionResponse.parse(await forged.json()).user).toBeNull();
    const client = api.client();
    const user = await client.signup(uniqueName("sessy"));
    const signedIn = await client.get("/auth/session");
    expect(signedIn.status).toBe(200);
    expect(SessionResponse.parse(await signedIn.json()).user?.id).toBe(user.id);
  });

  it("[A10] state-changing requests from a foreign Origin are refused (CSRF); no Origin is allowed", async () => {
    const evil = await api.client().post("/auth/signup", { username: uniqueName("evil"), password: "correct horse" }, { origin: "http://evil.example" });
    expect(evil.status).toBe(403);
    expect(await errorCode(evil)).toBe("BAD_ORIGIN");
    const cli = await api.client().post("/auth/signup", { username: uniqueName("curl"), password: "correct horse" }, { origin: null });
    expect(cli.status).toBe(201);
  });

  it("[A11] CORS allows the web origin with credentials and nobody else", async () => {
    const preflight = await api.client().call("OPTIONS", "/auth/login", {
      origin: WEB_ORIGIN,
      headers: { "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
    expect(preflight.headers.get("access-control-allow-credentials")).toBe("true");
    const foreign = await api.client().get("/healthz", { origin: "http://evil.example" });
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("[A12] health check, and unknown routes answer 404 in the error format", async () => {
    const health = await api.client().get("/healthz");
    expect(await health.json()).toEqual({ ok: true, db: backend });
    const missing = await api.client().get("/nope");
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe("NOT_FOUND");
    expect(health.headers.get("x-powered-by")).toBeNull();
    expect(health.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("[A14] logs never contain passwords, session cookies or tickets", async () => {
    const client = api.client();
    const password = "a-very-distinctive-password";
    await client.signup(uniqueName("logged"), password);
    await client.get("/auth/dashboard");
    const room = (await (await client.post("/api/rooms", { name: "logged room" })).json()) as { room: { code: string } };
    const { ticket } = (await (await client.post(`/api/rooms/${room.room.code}/ticket`)).json()) as { ticket: string };
    const all = logLines.join("\n");
    expect(logLines.length).toBeGreaterThan(0);
    expect(all).not.toContain(password);
    expect(all).not.toContain(rawSid(client.sid));
    expect(all).not.toContain(ticket.split(".")[1]);
  });
});

describe("auth rate limiting and production cookies", () => {
  it("[A8] failed logins are limited per client; successful ones do not count", async () => {
    const api = await startTestApi("sqlite", { seedDemoTracks: false, env: { LOGIN_RATE_LIMIT_MAX: "3" } });
    try {
      const client = api.client();
      const name = uniqueName("frank");
      await client.signup(name, "the right password");
      for (let i = 0; i < 4; i += 1) {
        expect((await client.post("/auth/login", { username: name, password: "the right password" })).status).toBe(200);
      }
      for (let i = 0; i < 3; i += 1) {
        expect((await client.post("/auth/login", { username: name, password: "wrong" })).status).toBe(401);
      }
      const limited = await client.post("/auth/login", { username: name, password: "the right password" });
      expect(limited.status).toBe(429);
      expect(await errorCode(limited)).toBe("RATE_LIMITED");
      expect(limited.headers.get("ratelimit-policy") ?? limited.headers.get("ratelimit")).not.toBeNull();
    } finally {
      await api.dispose();
    }
  });

  it("[A9] in production the cookie is Secure (behind a TLS proxy, TRUST_PROXY=1)", async () => {
    const api = await startTestApi("sqlite", {
      seedDemoTracks: false,
      env: { NODE_ENV: "production", TRUST_PROXY: "1", SESSION_SECRET: "a-production-secret-of-some-length" },
    });
    try {
      const client = api.client();
      const response = await client.post(
        "/auth/signup",
        { username: uniqueName("gina"), password: "correct horse" },
        { headers: { "x-forwarded-proto": "https" } },
      );
      expect(response.status).toBe(201);
      expect(client.lastSetCookie.find((c) => c.startsWith("sb.sid="))).toMatch(/; Secure/i);
    } finally {
      await api.dispose();
    }
  });

  it("[A13] an unexpected failure is a bare 500 INTERNAL: no stack, no SQL", async () => {
    const lines: string[] = [];
    const api = await startTestApi("sqlite", { seedDemoTracks: false, logLines: lines });
    try {
      const client = api.client();
      await client.signup(uniqueName("hank"));
      // A bug-like failure (a closed or unreachable database is 503 UNAVAILABLE instead: [A15]).
      const { target } = api.target;
      if (target.kind !== "sqlite") throw new Error("SQLite expected");
      const sqlite = createClient({ url: `file:${target.file}` });
      await sqlite.execute("DROP TABLE sessions");
      sqlite.close();
      const response = await client.get("/auth/dashboard");
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ error: { code: "INTERNAL", message: "internal server error" } });
      expect(lines.some((line) => line.includes("unhandled error"))).toBe(true);
    } finally {
      await api.dispose();
    }
  });
});
