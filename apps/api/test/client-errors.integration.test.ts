import { ApiErrorBody } from "@sync-beats/protocol";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachBackend, startTestApi, uniqueName, type Client, type TestApi } from "./harness.js";

interface LogEntry {
  level: number;
  msg?: string;
  status?: number;
  err?: unknown;
}

/** Every route with a `:code` or `:id` parameter. */
const PARAM_ROUTES = [
  ["GET", "/api/rooms/:p"],
  ["PATCH", "/api/rooms/:p"],
  ["POST", "/api/rooms/:p/join"],
  ["POST", "/api/rooms/:p/leave"],
  ["GET", "/api/rooms/:p/participants"],
  ["POST", "/api/rooms/:p/host"],
  ["POST", "/api/rooms/:p/ticket"],
  ["GET", "/api/tracks/:p"],
  ["GET", "/api/tracks/:p/audio"],
] as const;

/** Every route that reads a JSON body. */
const JSON_ROUTES = [
  ["POST", "/auth/signup"],
  ["POST", "/auth/login"],
  ["POST", "/auth/logout"],
  ["POST", "/api/rooms"],
  ["PATCH", "/api/rooms/ABCDEF"],
  ["POST", "/api/rooms/ABCDEF/host"],
  ["POST", "/api/rooms/ABCDEF/join"],
] as const;

describeEachBackend("client errors", (backend) => {
  let api: TestApi;
  let alice: Client;
  const logLines: string[] = [];
  beforeAll(async () => {
    api = await startTestApi(backend, { seedDemoTracks: false, logLines });
    alice = api.client();
    await alice.signup(uniqueName("alice"));
  });
  afterAll(() => api.dispose());

  const logEntries = () => logLines.map((line) => JSON.parse(line) as LogEntry);

  /** The answer is `status` with `code`, logged once at warn with no error object (so no stack), and nothing at error level. */
  async function expectClientError(response: Response, status: number, code: string, what: string) {
    expect(response.status, what).toBe(status);
    const body = ApiErrorBody.parse(await response.json());
    expect(body.error.code, what).toBe(code);
    const entries = logEntries();
    expect(entries.filter((entry) => entry.level >= 50), what).toEqual([]);
    const warnings = entries.filter((entry) => entry.level === 40 && entry.msg === "client error");
    expect(warnings, what).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ status, code });
    expect(warnings[0]!.err, what).toBeUndefined();
    expect(logLines.join("\n"), what).not.toMatch(/"stack"|\n\s+at /);
    logLines.length = 0;
  }

  it("[A18] a path that does not decode (GET /api/rooms/%) is 400 BAD_REQUEST, logged as a warning", async () => {
    logLines.length = 0;
    await expectClientError(await api.client().get("/api/rooms/%"), 400, "BAD_REQUEST", "GET /api/rooms/%");
  });

  it("[A18] an undecodable track id (GET /api/tracks/%E0%A4%A/audio, a URIError) is 400 BAD_REQUEST", async () => {
    logLines.length = 0;
    await expectClientError(await api.client().get("/api/tracks/%E0%A4%A/audio"), 400, "BAD_REQUEST", "audio");
  });

  it("[A18] a JSON body sent as gzip that is not gzip (Z_DATA_ERROR) is 400 BAD_REQUEST", async () => {
    logLines.length = 0;
    const response = await alice.post("/api/rooms", undefined, { body: '{"name":"x"}', headers: { "content-type": "application/json", "content-encoding": "gzip" } });
    await expectClientError(response, 400, "BAD_REQUEST", "gzip");
  });

  it("[A18] every :code and :id route, with both undecodable parameters", async () => {
    for (const param of ["%", "%E0%A4%A"]) {
      for (const [method, route] of PARAM_ROUTES) {
        logLines.length = 0;
        const path = route.replace(":p", param);
        await expectClientError(await alice.call(method, path), 400, "BAD_REQUEST", `${method} ${path}`);
      }
    }
  });

  it("[A18] every JSON route, with a body that claims gzip and is not", async () => {
    for (const [method, path] of JSON_ROUTES) {
      logLines.length = 0;
      const response = await alice.call(method, path, { body: '{"a":1}', headers: { "content-type": "application/json", "content-encoding": "gzip" } });
      await expectClientError(response, 400, "BAD_REQUEST", `${method} ${path}`);
    }
  });
});
