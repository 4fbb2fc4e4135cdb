import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadOrCreateSyncSecret } from "@sync-beats/ticket";
import { z } from "zod";
import { databaseTarget, type DatabaseTarget } from "./db/open.js";

const int = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

const Env = z.object({
  PORT: int(5001),
  HOST: z.string().default("0.0.0.0"),
  NODE_ENV: z.string().default("development"),
  DATA_DIR: z.string().optional(),
  DATABASE_URL: z.string().optional(),
  WEB_ORIGIN: z.string().default("http://localhost:3000"),
  SESSION_SECRET: z.string().min(16, "SESSION_SECRET must be at least 16 characters").optional(),
  SYNC_SECRET: z.string().optional(),
  SESSION_TTL_MS: int(7 * 24 * 60 * 60 * 1000),
  TRACK_UPLOAD_MAX_BYTES: int(500 * 1024 * 1024),
  PUBLIC_URL: z.url().optional(),
  SYNC_PUBLIC_URL: z.string().optional(),
  SYNC_INTERNAL_URL: z.url().default("http://127.0.0.1:6001"),
  TRUST_PROXY: z.string().optional(),
  LOGIN_RATE_LIMIT_MAX: int(10),
  LOGIN_RATE_LIMIT_WINDOW_MS: int(15 * 60 * 1000),
  LOGIN_ACCOUNT_LIMIT_MAX: int(10),
  SIGNUP_RATE_LIMIT_MAX: int(30),
  ROOM_LOOKUP_RATE_LIMIT_MAX: int(100),
  ROOM_LOOKUP_RATE_LIMIT_WINDOW_MS: int(60 * 1000),
  ROOM_CREATE_RATE_LIMIT_MAX: int(30),
  ROOM_CREATE_RATE_LIMIT_WINDOW_MS: int(60 * 60 * 1000),
  GUEST_SESSION_TTL_MS: int(24 * 60 * 60 * 1000),
  GUEST_JOIN_RATE_LIMIT_MAX: int(20),
  GUEST_JOIN_RATE_LIMIT_WINDOW_MS: int(15 * 60 * 1000),
  SEED_DEMO_TRACKS: z.enum(["0", "1"]).default("1"),
  SEED_BENCHMARK_TRACKS: z.enum(["0", "1"]).default("0"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TLS_CERT_FILE: z.string().optional(),
  TLS_KEY_FILE: z.string().optional(),
});

/** Everything the API reads from its environment, resolved once at start. */
export interface ApiConfig {
  port: number;
  host: string;
  production: boolean;
  dataDir: string;
  tracksDir: string;
  /** Uploads arrive here (same file system as `tracksDir`, so storing one is a rename). */
  incomingDir: string;
  database: DatabaseTarget;
  /** Origins allowed by CORS and by the CSRF origin check. */
  webOrigins: string[];
  sessionSecret: string;
  sessionTtlMs: number;
  syncSecret: string;
  maxUploadBytes: number;
  /** Base of absolute track URLs; null means "the origin the request came in on". */
  publicUrl: string | null;
  /** Returned with tickets when set, so clients need not guess the sync server's address. */
  syncPublicUrl: string | null;
  /** Where this API reaches the sync server's signed `/internal` endpoints (any node, with Redis). */
  syncInternalUrl: string;
  /** Express `trust proxy` (needed behind a reverse proxy for rate limiting by client IP). */
  trustProxy: boolean | number | string;
  loginRateLimit: { max: number; windowMs: number };
  /** Failed logins per username (any client) per window: guesses spread over addresses (B3). */
  loginAccountLimit: { max: number; windowMs: number };
  signupRateLimit: { max: number; windowMs: number };
  /** Failed by-code room requests per client address per window (code guessing). */
  roomLookupRateLimit: { max: number; windowMs: number };
  /** Rooms created per user per window. */
  roomCreateRateLimit: { max: number; windowMs: number };
  /** Lifetime of a guest session (sliding): shorter than an account's, a guest has no password to come back with. */
  guestSessionTtlMs: number;
  /** Guest joins through invite links per client address per window. */
  guestJoinRateLimit: { max: number; windowMs: number };
  seedDemoTracks: boolean;
  /** Seed the benchmark fixtures too (the float32 timecode track); off, they are removed (TR4). */
  seedBenchmarkTracks: boolean;
  logLevel: string;
  /** PEM certificate and key: serve `https:` (a LAN party's phones need a secure context); null: plain HTTP. */
  tls: { cert: string; key: string } | null;
}

/** The repository's `data/` folder, shared with the sync server (it reads the ticket secret there). */
export const DEFAULT_DATA_DIR = resolve(import.meta.dirname, "../../../data");

/** `SESSION_SECRET`, else a random secret kept in `<dataDir>/session-secret` (mode 0600). */
function loadOrCreateSessionSecret(dataDir: string, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv;
  const file = join(dataDir, "session-secret");
  mkdirSync(dataDir, { recursive: true });
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    const secret = randomBytes(32).toString("base64url");
    writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === "" || value === "0" || value === "false") return false;
  if (value === "true") return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** Reads and checks the environment; throws listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = Env.parse(env);
  const dataDir = resolve(parsed.DATA_DIR ?? DEFAULT_DATA_DIR);
  const production = parsed.NODE_ENV === "production";
  if (production && !parsed.SESSION_SECRET) {
    // A generated file works, but in production a secret should be managed, not discovered.
    console.warn("SESSION_SECRET is unset in production; using a generated secret in DATA_DIR");
  }
  return {
    port: parsed.PORT,
    host: parsed.HOST,
    production,
    dataDir,
    tracksDir: join(dataDir, "tracks"),
    incomingDir: join(dataDir, "incoming"),
    database: databaseTarget(parsed.DATABASE_URL, dataDir),
    webOrigins: parsed.WEB_ORIGIN.split(",").map((o) => o.trim().replace(/\/$/, "")).filter(Boolean),
    sessionSecret: loadOrCreateSessionSecret(dataDir, parsed.SESSION_SECRET),
    sessionTtlMs: parsed.SESSION_TTL_MS,
    syncSecret: loadOrCreateSyncSecret(dataDir, parsed.SYNC_SECRET),
    maxUploadBytes: parsed.TRACK_UPLOAD_MAX_BYTES,
    publicUrl: parsed.PUBLIC_URL?.replace(/\/$/, "") ?? null,
    syncPublicUrl: parsed.SYNC_PUBLIC_URL ?? null,
    syncInternalUrl: parsed.SYNC_INTERNAL_URL,
    trustProxy: parseTrustProxy(parsed.TRUST_PROXY),
    loginRateLimit: { max: parsed.LOGIN_RATE_LIMIT_MAX, windowMs: parsed.LOGIN_RATE_LIMIT_WINDOW_MS },
    loginAccountLimit: { max: parsed.LOGIN_ACCOUNT_LIMIT_MAX, windowMs: parsed.LOGIN_RATE_LIMIT_WINDOW_MS },
    signupRateLimit: { max: parsed.SIGNUP_RATE_LIMIT_MAX, windowMs: parsed.LOGIN_RATE_LIMIT_WINDOW_MS },
    roomLookupRateLimit: { max: parsed.ROOM_LOOKUP_RATE_LIMIT_MAX, windowMs: parsed.ROOM_LOOKUP_RATE_LIMIT_WINDOW_MS },
    roomCreateRateLimit: { max: parsed.ROOM_CREATE_RATE_LIMIT_MAX, windowMs: parsed.ROOM_CREATE_RATE_LIMIT_WINDOW_MS },
    guestSessionTtlMs: parsed.GUEST_SESSION_TTL_MS,
    guestJoinRateLimit: { max: parsed.GUEST_JOIN_RATE_LIMIT_MAX, windowMs: parsed.GUEST_JOIN_RATE_LIMIT_WINDOW_MS },
    seedDemoTracks: parsed.SEED_DEMO_TRACKS === "1",
    seedBenchmarkTracks: parsed.SEED_BENCHMARK_TRACKS === "1",
    logLevel: parsed.LOG_LEVEL,
    tls: readTlsFiles(parsed.TLS_CERT_FILE, parsed.TLS_KEY_FILE),
  };
}

/** Both files or neither: a certificate without its key (or the reverse) is a mistake, not plain HTTP. */
function readTlsFiles(certFile: string | undefined, keyFile: string | undefined): { cert: string; key: string } | null {
  if (!certFile && !keyFile) return null;
  if (!certFile || !keyFile) throw new Error("TLS_CERT_FILE and TLS_KEY_FILE must be set together");
  return { cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8") };
}
