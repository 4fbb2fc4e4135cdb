import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { loadOrCreateSyncSecret } from "@sync-beats/ticket";
import { z } from "zod";
import type { RegistryConfig } from "./room-registry.js";
import type { ConnectionLimits } from "./connection.js";

/** The longest delay a Node timer keeps (2^31 − 1 ms); a longer one fires at once, with only a warning. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A whole number in [min, max] from the environment's text; the bounds are what the server can work with. */
const int = (fallback: number, min: number, max: number, why: string) =>
  z.coerce
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(min, { error: `must be at least ${min}: ${why}` })
    .max(max, { error: `must be at most ${max}: ${why}` })
    .default(fallback);

const Env = z.object({
  PORT: int(6001, 0, 65_535, "a TCP port (0 picks a free one)"),
  HOST: z.string().default("0.0.0.0"),
  NODE_ENV: z.string().default("development"),
  DATA_DIR: z.string().optional(),
  SYNC_SECRET: z.string().optional(),
  SYNC_DEV_IDENTITY: z.enum(["0", "1"]).default("0"),
  SYNC_LEAD_MS: int(200, 0, 60_000, "a command takes effect this long after it is sent"),
  SYNC_MAX_LEAD_MS: int(1500, 0, 60_000, "the lead's cap"),
  SYNC_RESYNC_THRESHOLD_MS: int(500, 1, 60_000, "at 0 every sync_check would be answered RESYNC"),
  SYNC_HOST_GRACE_MS: int(10_000, 0, MAX_TIMER_MS, "a timer's longest delay"),
  SYNC_EMPTY_ROOM_GRACE_MS: int(60_000, 0, MAX_TIMER_MS, "a timer's longest delay"),
  SYNC_HEARTBEAT_MS: int(15_000, 1_000, MAX_TIMER_MS, "a socket must answer each ping within one period, and 0 would ping without pause"),
  SYNC_MAX_FRAME_BYTES: int(16 * 1024, 1024, 64 * 1024 * 1024, "a join frame with its ticket must fit"),
  SYNC_QUEUE_LOOKAHEAD_MS: int(3_000, 0, MAX_TIMER_MS, "a timer's longest delay"),
  REDIS_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TLS_CERT_FILE: z.string().optional(),
  TLS_KEY_FILE: z.string().optional(),
});

/** Every setting that is wrong, one a line, named as it is set: `SYNC_HEARTBEAT_MS=0: must be at least 1000: …`. */
function describeProblems(error: z.ZodError, env: NodeJS.ProcessEnv): string {
  const lines = error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "environment");
    return `  ${name}=${JSON.stringify(env[name] ?? "")}: ${issue.message}`;
  });
  return `invalid sync server settings:\n${lines.join("\n")}`;
}

export interface SyncServerConfig {
  port: number;
  host: string;
  room: RegistryConfig;
  limits: ConnectionLimits;
  heartbeatMs: number;
  /** Redis backplane for running several sync processes; null keeps rooms in this process. */
  redisUrl: string | null;
  /** Ticket secret, or null for dev identity (the client's claimed userId is trusted). */
  ticketSecret: string | null;
  /** The secret the API signs track grants with (the sync secret; loaded in dev identity too) [Q2]. */
  trackGrantSecret?: string;
  logLevel: string;
  /** PEM certificate and key: serve `https:` / `wss:` (a LAN party's phones need a secure context); null or absent: plain. */
  tls?: { cert: string; key: string } | null;
}

/** The repository's `data/` folder, shared with the API (tickets are signed with a secret kept there). */
export const DEFAULT_DATA_DIR = resolve(import.meta.dirname, "../../../data");

/** Reads and checks the environment; throws with every problem listed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): SyncServerConfig {
  const result = Env.safeParse(env);
  if (!result.success) throw new Error(describeProblems(result.error, env));
  const parsed = result.data;
  const devIdentity = parsed.SYNC_DEV_IDENTITY === "1";
  if (devIdentity && parsed.NODE_ENV === "production") {
    throw new Error("SYNC_DEV_IDENTITY=1 trusts client-claimed user ids and is refused in production");
  }
  const secret = loadOrCreateSyncSecret(parsed.DATA_DIR ?? DEFAULT_DATA_DIR, parsed.SYNC_SECRET);
  return {
    port: parsed.PORT,
    host: parsed.HOST,
    room: {
      leadMs: parsed.SYNC_LEAD_MS,
      maxLeadMs: Math.max(parsed.SYNC_MAX_LEAD_MS, parsed.SYNC_LEAD_MS),
      resyncThresholdMs: parsed.SYNC_RESYNC_THRESHOLD_MS,
      hostGraceMs: parsed.SYNC_HOST_GRACE_MS,
      emptyRoomGraceMs: parsed.SYNC_EMPTY_ROOM_GRACE_MS,
      firstJoinerHosts: devIdentity,
      queueLookaheadMs: parsed.SYNC_QUEUE_LOOKAHEAD_MS,
    },
    limits: { maxFrameBytes: parsed.SYNC_MAX_FRAME_BYTES, messagesPerSecond: 40, messageBurst: 80 },
    heartbeatMs: parsed.SYNC_HEARTBEAT_MS,
    redisUrl: parsed.REDIS_URL ?? null,
    ticketSecret: devIdentity ? null : secret,
    trackGrantSecret: secret,
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
