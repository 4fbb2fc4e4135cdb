import type { SparseHistogram } from "./histogram.js";

/** One room as a generator plays it: `clients` connections, the host first. */
export interface RoomPlan {
  code: string;
  clients: number;
  /** Index into `urls` of each client's server; client 0 is the host. */
  nodes: number[];
}

export interface GeneratorConfig {
  /** WebSocket URLs of the servers under test (one, or one per cluster node). */
  urls: string[];
  rooms: RoomPlan[];
  /** Connections opening at once. */
  connectConcurrency: number;
  pingEveryMs: number;
  syncCheckEveryMs: number;
  /** Steady phase: one host command per room this often. */
  commandEveryMs: number;
  /** Saturation phase: host commands a room may have unacknowledged at once. */
  saturationWindow: number;
  /** Saturation phase: per-host ceiling, below the server's 40 msg/s rate limit. */
  saturationRatePerHost: number;
}

export type Phase = "quiet" | "steady" | "saturate";

export type ParentMessage =
  | { type: "configure"; config: GeneratorConfig }
  | { type: "connect" }
  | { type: "play" }
  | { type: "phase"; phase: Phase }
  | { type: "report" }
  | { type: "close" };

/** Frames of one kind and their payload bytes. */
export interface WireCount {
  frames: number;
  bytes: number;
}

export interface PhaseStats {
  /** Wall time the phase ran, as this generator saw it. */
  seconds: number;
  commandsSent: number;
  /** Command receipts by clients on the host's server / on another node (cluster). */
  sameNode: SparseHistogram;
  crossNode: SparseHistogram;
  /** Round trips time_ping → time_pong (µs). */
  pongRtt: SparseHistogram;
  /** Receipts still missing when the phase was reported (commands the server never delivered). */
  missingReceipts: number;
  framesReceived: number;
  /** Frames received by `type`, with their payload bytes: what each server puts on the wire. */
  received: Record<string, WireCount>;
  /** WebSocket pings received (a server's heartbeat; `ws` answers each with a pong). */
  pingsReceived: number;
  /** Command receipts (fan-out frames) that arrived while the phase ran. */
  receipts: number;
  /** Receipts that arrived after the command's `atServerMs`: the client had to jump. */
  lateReceipts: number;
  framesSent: number;
  pongs: number;
  resyncs: number;
  /** `error` frames by code, and socket-level failures (`close:<code>`, `socket-error`). */
  errors: Record<string, number>;
  /** This generator's own event-loop delay (p99, ms): it inflates every latency it measures. */
  generatorLagP99Ms: number;
}

export type GeneratorMessage =
  | { type: "ready" }
  | { type: "connected"; opened: number; failed: number; seconds: number }
  | { type: "playing"; rooms: number }
  | { type: "phase-started"; phase: Phase }
  | { type: "report"; stats: PhaseStats }
  | { type: "closed" };
