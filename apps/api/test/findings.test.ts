/**
 * Regression tests for the security review's findings (SECURITY.md, "Fixed since they were
 * found"): each test names the SPEC rule it pins and the finding it closes.
 */
import { existsSync, readdirSync } from "node:fs";
import { createServer, connect, type AddressInfo, type Server, type Socket } from "node:net";
import { ApiErrorBody, TrackListResponse } from "@sync-beats/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeWav } from "@sync-beats/demo-tracks";
import { pgTestTarget, TEST_DATABASE_URL } from "./databases.js";
import { errorCode, startTestApi, uniqueName, type Client, type TestApi } from "./harness.js";

const wav = () =>
  encodeWav({ sampleRate: 8000, channels: 1, format: "pcm16", frames: 1600, sample: (frame) => Math.sin(frame / 10) * 0.5 });

interface Part {
  /** The raw `name` parameter, written as is (no escaping), so it may be empty or hold control characters. */
  field: string;
  fileName?: string;
  type?: string;
  body: Buffer;
}

/** A multipart body written byte by byte: FormData would escape what these tests must send raw. */
function multipart(parts: Part[], boundary = "sync-beats-boundary"): { body: Buffer; contentType: string } {
  const chunks = parts.flatMap((part) => {
    const fileName = part.fileName === undefined ? "" : `; filename="${part.fileName}"`;
    const type = part.type === undefined ? "" : `\r\nContent-Type: ${part.type}`;
    return [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.field}"${fileName}${type}\r\n\r\n`, "latin1"), part.body, Buffer.from("\r\n")];
  });
  return { body: Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe("findings", () => {
  describe("multipart errors (B6, B7)", () => {
    let api: TestApi;
    let alice: Client;
    const logLines: string[] = [];
    beforeAll(async () => {
      api = await startTestApi("sqlite", { seedDemoTracks: false, logLines });
      alice = api.client();
      await alice.signup(uniqueName("uploader"));
    });
    afterAll(() => api.dispose());

    const send = (body: Buffer, contentType: string) =>
      alice.call("POST", "/api/tracks", { body: new Uint8Array(body), headers: { "content-type": contentType } });

    it("[TU6] (B6, B7) a malformed multipart form is a 400 VALIDATION_FAILED, never a 500, and stores nothing", async () => {
      const cases: Record<string, { body: Buffer; contentType: string }> = {
        "NUL in the file name (B6)": multipart([{ field: "file", fileName: "a.wav\u0000.sh", type: "audio/wav", body: wav() }]),
        "\\u0005 in the file name (B6)": multipart([{ field: "file", fileName: "\u0005", type: "audio/wav", body: wav() }]),
        "empty field name, file part (B7)": multipart([{ field: "", fileName: "a.wav", type: "audio/wav", body: wav() }]),
        "empty field name, text part (B7)": multipart([{ field: "", body: Buffer.from("x") }, { field: "file", fileName: "a.wav", type: "audio/wav", body: wav() }]),
        "truncated form": { body: multipart([{ field: "file", fileName: "a.wav", type: "audio/wav", body: wav() }]).body.subarray(0, 200), contentType: "multipart/form-data; boundary=sync-beats-boundary" },
        "no boundary": { body: Buffer.from("--x\r\n\r\n--x--\r\n"), contentType: "multipart/form-data" },
      };
      for (const [name, { body, contentType }] of Object.entries(cases)) {
        const response = await send(body, contentType);
        expect(response.status, name).toBe(400);
        expect(await errorCode(response), name).toBe("VALIDATION_FAILED");
      }
      const { tracks } = TrackListResponse.parse(await (await alice.get("/api/tracks")).json());
      expect(tracks).toEqual([]);
      expect(existsSync(api.config.tracksDir) ? readdirSync(api.config.tracksDir) : []).toEqual([]);
      // Refusals, not failures: nothing at error level.
      expect(logLines.filter((line) => JSON.parse(line).level >= 50)).toEqual([]);
      // The same route still takes a well-formed upload.
      const ok = multipart([{ field: "file", fileName: "fine.wav", type: "audio/wav", body: wav() }]);
      expect((await send(ok.body, ok.contentType)).status).toBe(201);
    });
  });

  describe("database outage (B9)", () => {
    /** A TCP proxy in front of PostgreSQL that can be cut (live connections dropped, new ones refused) and restored. */
    async function cuttableProxy(target: URL) {
      const sockets = new Set<Socket>();
      let server: Server | null = null;
      let port = 0;
      const open = async () => {
        server = createServer((client) => {
          const upstream = connect(Number(target.port || 5432), target.hostname);
          for (const socket of [client, upstream]) {
            sockets.add(socket);
            socket.on("close", () => sockets.delete(socket));
            socket.on("error", () => {});
          }
          client.pipe(upstream).pipe(client);
        });
        await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
        port = (server!.address() as AddressInfo).port;
      };
      await open();
      return {
        port,
        open,
        async cut() {
          for (const socket of sockets) socket.destroy();
          await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
          server = null;
        },
      };
    }

    /** Every answer while the database is away: 503 UNAVAILABLE with Retry-After, and a warning (no error, no stack). */
    async function expectUnavailable(client: Client, logLines: string[]) {
      logLines.length = 0;
      for (const [method, path] of [["GET", "/auth/dashboard"], ["GET", "/api/rooms"], ["POST", "/api/rooms"], ["GET", "/healthz"]] as const) {
        const response = await client.call(method, path, method === "POST" ? { json: { name: "outage" } } : {});
        expect(response.status, `${method} ${path}`).toBe(503);
        expect(response.headers.get("retry-after"), `${method} ${path}`).toMatch(/^\d+$/);
        expect(ApiErrorBody.parse(await response.json()).error.code, `${method} ${path}`).toBe("UNAVAILABLE");
      }
      const entries = logLines.map((line) => JSON.parse(line) as { level: number; msg?: string; req?: unknown; err?: unknown });
      expect(entries.filter((entry) => entry.level >= 50)).toEqual([]);
      const warnings = entries.filter((entry) => entry.level === 40);
      expect(warnings.length).toBeGreaterThanOrEqual(4);
      expect(warnings.every((entry) => /database (unavailable|unreachable)/.test(entry.msg ?? "") && entry.err === undefined)).toBe(true);
      // pino-http's access line for any 5xx carries its own synthetic "failed with status code" error; nothing else may.
      expect(JSON.stringify(entries.filter((entry) => entry.req === undefined))).not.toMatch(/stack/);
      expect(logLines.join("\n")).not.toMatch(/SELECT|select /);
    }

    it("[A15] (B9) SQLite: a closed database answers 503 UNAVAILABLE with Retry-After, logged as a warning", async () => {
      const logLines: string[] = [];
      const api = await startTestApi("sqlite", { seedDemoTracks: false, logLines });
      try {
        const client = api.client();
        await client.signup(uniqueName("outage"));
        await api.server.db.close();
        await expectUnavailable(client, logLines);
      } finally {
        await api.dispose();
      }
    });

    it.skipIf(!TEST_DATABASE_URL)("[A15] (B9) PostgreSQL cut off: 503 UNAVAILABLE with Retry-After, then the same session works again", async () => {
      const database = await pgTestTarget();
      if (database.target.kind !== "postgres") throw new Error("PostgreSQL expected");
      const direct = new URL(database.target.url);
      const proxy = await cuttableProxy(direct);
      const viaProxy = new URL(direct);
      viaProxy.host = `127.0.0.1:${proxy.port}`;
      const logLines: string[] = [];
      const api = await startTestApi("sqlite", { seedDemoTracks: false, logLines, env: { DATABASE_URL: viaProxy.toString() } });
      try {
        expect(api.server.db.dialect).toBe("postgres");
        const client = api.client();
        await client.signup(uniqueName("outage"));
        await proxy.cut();
        await expectUnavailable(client, logLines);
        await proxy.open();
        let status = 0;
        for (let attempt = 0; attempt < 50 && status !== 200; attempt += 1) {
          status = (await client.get("/auth/dashboard")).status;
          if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(status).toBe(200);
      } finally {
        await proxy.cut();
        await api.dispose();
        await database.dispose();
      }
    });
  });

  describe("per-account login limit (B3)", () => {
    const limited = { error: { code: "RATE_LIMITED", message: "too many attempts, try again later" } };

    it("[A16] (B3) failed logins are limited per username across clients, alike for unknown users; successes do not count", async () => {
      // The per-address limit is out of the way, as for guesses spread over many addresses.
      const api = await startTestApi("sqlite", { seedDemoTracks: false, env: { LOGIN_RATE_LIMIT_MAX: "1000", LOGIN_ACCOUNT_LIMIT_MAX: "3" } });
      try {
        const victim = uniqueName("victim");
        const bystander = uniqueName("bystander");
        await api.client().signup(victim, "the right password");
        await api.client().signup(bystander, "the right password");
        const login = (username: string, password: string) => api.client().post("/auth/login", { username, password });

        // Successful logins never count.
        for (let i = 0; i < 5; i += 1) expect((await login(victim, "the right password")).status).toBe(200);
        // Three failures, from three "clients", in any letter case or padding, count against one account.
        for (const name of [victim, victim.toUpperCase(), ` ${victim} `]) expect((await login(name, "a wrong guess")).status).toBe(401);
        const blocked = await login(victim, "the right password");
        expect(blocked.status).toBe(429);
        expect(await blocked.json()).toEqual(limited);
        expect(blocked.headers.get("retry-after")).toMatch(/^\d+$/);

        // An unknown username is limited the same way, with the same answer: no enumeration.
        const ghost = uniqueName("ghost");
        for (let i = 0; i < 3; i += 1) expect((await login(ghost, "a wrong guess")).status).toBe(401);
        const ghostBlocked = await login(ghost, "a wrong guess");
        expect(ghostBlocked.status).toBe(429);
        expect(await ghostBlocked.json()).toEqual(limited);
        expect(ghostBlocked.headers.get("retry-after")).toMatch(/^\d+$/);

        // Other accounts are untouched; a malformed body is still a 400, not counted against anyone.
        expect((await login(bystander, "the right password")).status).toBe(200);
        expect((await api.client().post("/auth/login", { username: 42, password: "x" })).status).toBe(400);
      } finally {
        await api.dispose();
      }
    });

    it("[A16] (B3) the per-account limit answers exactly like the per-address one", async () => {
      const byAddress = await startTestApi("sqlite", { seedDemoTracks: false, env: { LOGIN_RATE_LIMIT_MAX: "1", LOGIN_ACCOUNT_LIMIT_MAX: "1000" } });
      const byAccount = await startTestApi("sqlite", { seedDemoTracks: false, env: { LOGIN_RATE_LIMIT_MAX: "1000", LOGIN_ACCOUNT_LIMIT_MAX: "1" } });
      try {
        const answers = [];
        for (const api of [byAddress, byAccount]) {
          await api.client().post("/auth/login", { username: "someone", password: "a wrong guess" });
          const response = await api.client().post("/auth/login", { username: "someone", password: "a wrong guess" });
          answers.push({ status: response.status, body: await response.json(), retryAfter: response.headers.get("retry-after") !== null });
        }
        expect(answers[0]).toEqual({ status: 429, body: limited, retryAfter: true });
        expect(answers[1]).toEqual(answers[0]);
      } finally {
        await byAddress.dispose();
        await byAccount.dispose();
      }
    });
  });

  describe("cross-site GET logout (B4)", () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi("sqlite", { seedDemoTracks: false });
    });
    afterAll(() => api.dispose());

    it("[A17] (B4) GET /auth/logout from another site is refused and the session lives on; POST and same-site GET still log out", async () => {
      const client = api.client();
      await client.signup(uniqueName("navigated"));
      const refused = await client.get("/auth/logout", { headers: { "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate" } });
      expect(refused.status).toBe(403);
      expect(await errorCode(refused)).toBe("BAD_ORIGIN");
      expect(client.lastSetCookie.some((c) => c.startsWith("sb.sid=;"))).toBe(false);
      expect((await client.get("/auth/dashboard")).status).toBe(200);

      for (const site of ["same-site", "same-origin", "none", null]) {
        const user = api.client();
        await user.signup(uniqueName("leaving"));
        const out = await user.get("/auth/logout", site === null ? {} : { headers: { "sec-fetch-site": site } });
        expect(out.status, String(site)).toBe(200);
        expect((await user.get("/auth/dashboard")).status, String(site)).toBe(401);
      }
      const poster = api.client();
      await poster.signup(uniqueName("poster"));
      expect((await poster.post("/auth/logout", undefined, { headers: { "sec-fetch-site": "same-site" } })).status).toBe(200);
      expect((await poster.get("/auth/dashboard")).status).toBe(401);
    });
  });
});
