/** Starts the real API on port 0 over a real database, and talks to it with fetch and a cookie jar. */
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe } from "vitest";
import { BENCHMARK_TRACKS, DEMO_TRACKS, generateDemoTracks, type DemoTrack } from "@sync-beats/demo-tracks";
import { Writable } from "node:stream";
import pino from "pino";
import type { WallClock } from "../src/wall-clock.js";
import { loadConfig, type ApiConfig } from "../src/config.js";
import { loggerOptions } from "../src/logger.js";
import { startServer, type RunningServer } from "../src/server.js";
import { announcePgSkip, pgTestTarget, sqliteTestTarget, TEST_DATABASE_URL, type TestTarget } from "./databases.js";

export const WEB_ORIGIN = "http://localhost:3000";

export type Backend = "sqlite" | "postgres";

export interface TestApi {
  url: string;
  config: ApiConfig;
  server: RunningServer;
  target: TestTarget;
  /** A new cookie-jar client. */
  client(): Client;
  /** Stops the server, keeping the data (for restart tests). */
  stop(): Promise<void>;
  /** Starts again on the same data directory and database (with `changes` to its config). */
  restart(changes?: Partial<ApiConfig>): Promise<void>;
  dispose(): Promise<void>;
}

export interface TestApiOptions {
  env?: Record<string, string>;
  seedDemoTracks?: boolean;
  clock?: WallClock;
  /** Collect every log line here (the logger runs at debug level) instead of discarding logs. */
  logLines?: string[];
}

/**
 * The demo package's sources, hashed (read as files, not imported): a change to the generator
 * never reuses stale files.
 */
function demoSourceHash(): string {
  const srcDir = dirname(createRequire(import.meta.url).resolve("@sync-beats/demo-tracks"));
  const hash = createHash("sha256");
  for (const file of readdirSync(srcDir).filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts")).sort()) {
    hash.update(file).update(readFileSync(join(srcDir, file)));
  }
  return hash.digest("hex").slice(0, 12);
}

/**
 * Demo files are rendered once per machine into a cache and copied, so each test server does not
 * spend a second synthesising chords. Rendering is deterministic, so the copy is identical.
 */
function provideDemoFiles(tracksDir: string, tracks: readonly DemoTrack[]): void {
  const cache = join(tmpdir(), `sync-beats-demo-cache-${demoSourceHash()}`);
  generateDemoTracks(cache, { tracks });
  mkdirSync(tracksDir, { recursive: true });
  for (const demo of tracks) {
    const target = join(tracksDir, demo.fileName);
    if (!existsSync(target)) copyFileSync(join(cache, demo.fileName), target);
  }
}

function captureLogger(lines: string[]) {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString("utf8"));
      callback();
    },
  });
  // Same redaction as production: build it through createLogger's options.
  return pino({ ...loggerOptions("debug") }, sink);
}

export async function startTestApi(backend: Backend, options: TestApiOptions = {}): Promise<TestApi> {
  const target = backend === "postgres" ? await pgTestTarget() : await sqliteTestTarget();
  const seed = options.seedDemoTracks ?? true;
  const env: Record<string, string> = {
    DATA_DIR: target.dataDir,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    WEB_ORIGIN,
    SEED_DEMO_TRACKS: seed ? "1" : "0",
    // No sync server in these suites (tests/ runs both): a port nothing listens on, not a dev server's.
    SYNC_INTERNAL_URL: "http://127.0.0.1:1",
    ...(target.target.kind === "postgres" ? { DATABASE_URL: target.target.url } : {}),
    ...options.env,
  };
  const config = loadConfig(env);
  if (seed) provideDemoFiles(config.tracksDir, config.seedBenchmarkTracks ? [...DEMO_TRACKS, ...BENCHMARK_TRACKS] : DEMO_TRACKS);
  const logger = options.logLines ? captureLogger(options.logLines) : undefined;
  let server = await startServer({ config, clock: options.clock, logger });
  const api: TestApi = {
    get url() {
      return server.url;
    },
    config,
    get server() {
      return server;
    },
    target,
    client: () => new Client(() => server.url),
    stop: () => server.close(),
    async restart(changes = {}) {
      server = await startServer({ config: { ...config, ...changes, port: 0 }, clock: options.clock, logger });
    },
    async dispose() {
      await server.close().catch(() => undefined);
      await target.dispose();
    },
  };
  return api;
}

/** Runs a suite once per available backend: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function describeEachBackend(name: string, suite: (backend: Backend) => void): void {
  describe(`${name} [sqlite]`, () => suite("sqlite"));
  announcePgSkip(`${name} [postgres]`);
  describe.skipIf(!TEST_DATABASE_URL)(`${name} [postgres]`, () => suite("postgres"));
}

export interface CallOptions {
  json?: unknown;
  body?: BodyInit | null;
  headers?: Record<string, string>;
  /** Defaults to the web app's origin on state-changing requests, as a browser would send it. */
  origin?: string | null;
}

/** fetch with a cookie jar, like a browser tab of the web app. */
export class Client {
  readonly cookies = new Map<string, string>();
  /** The raw Set-Cookie headers of the last response. */
  lastSetCookie: string[] = [];

  constructor(private readonly baseUrl: () => string) {}

  get sid(): string | undefined {
    return this.cookies.get("sb.sid");
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const origin = options.origin === undefined ? (method === "GET" || method === "HEAD" ? null : WEB_ORIGIN) : options.origin;
    if (origin !== null) headers.origin = origin;
    let body = options.body;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    }
    const response = await fetch(`${this.baseUrl()}${path}`, { method, headers, body, redirect: "manual" });
    this.lastSetCookie = response.headers.getSetCookie();
    for (const line of this.lastSetCookie) {
      const [pair, ...attributes] = line.split(";");
      const [name, ...rest] = pair!.split("=");
      const value = rest.join("=");
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === "") this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
    return response;
  }

  get(path: string, options?: CallOptions) {
    return this.call("GET", path, options);
  }
  post(path: string, json?: unknown, options?: CallOptions) {
    return this.call("POST", path, { ...options, json });
  }
  patch(path: string, json?: unknown, options?: CallOptions) {
    return this.call("PATCH", path, { ...options, json });
  }
  delete(path: string, options?: CallOptions) {
    return this.call("DELETE", path, options);
  }

  /** Signs up (which logs in) and returns the user. */
  async signup(username: string, password = "correct horse battery", displayName?: string) {
    const response = await this.post("/auth/signup", { username, password, displayName });
    if (response.status !== 201) throw new Error(`signup ${username}: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { user: { id: string; username: string; displayName: string } }).user;
  }
}

/** The `{ error: { code } }` of a response, for one-line assertions. */
export async function errorCode(response: Response): Promise<string | undefined> {
  const body = (await response.json()) as { error?: { code?: string } };
  return body.error?.code;
}

let counter = 0;
/** Unique usernames across a suite (and across the PG database shared by a file's tests). */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}${process.pid % 1000}x${counter}`;
}
