/**
 * A loopback TCP relay that delays each direction of every connection by a network model. It
 * relays bytes, not WebSocket frames: with Nagle off on both legs each frame arrives as its own
 * chunk, and chunks keep TCP order (a chunk is never written before an earlier one, so a late
 * chunk holds back the ones behind it, as a real TCP stream does).
 */
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { listenLoopback, nowMs } from "./time.js";
import { peekExchange, type PeekedExchange } from "./ws-frame-peek.js";

/** Burst spikes: every `periodMs`, whatever arrives during `holdMs` is held and released at once. */
export interface SpikeModel {
  readonly periodMs: number;
  readonly holdMs: number;
  readonly phaseMs: number;
}

/** One direction of a link: uniform delay in `[baseMs - jitterMs, baseMs + jitterMs]`, plus spikes. */
export interface LinkModel {
  readonly baseMs: number;
  readonly jitterMs: number;
  readonly spikes?: SpikeModel;
}

/** What one client's connection goes through. `up` is client to server. */
export interface ClientNetwork {
  readonly up: LinkModel;
  readonly down: LinkModel;
}

/** Uniform [0, 1) from a 32-bit seed (mulberry32), so a scenario's delays replay exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The instant (ms, same base as `arrivalMs`) a chunk arriving at `arrivalMs` may be delivered,
 * before TCP ordering: base + jitter, pushed to the end of a spike window it falls in.
 */
export function plannedDelivery(model: LinkModel, arrivalMs: number, originMs: number, random: () => number): number {
  let at = arrivalMs + Math.max(0, model.baseMs + (2 * random() - 1) * model.jitterMs);
  const spikes = model.spikes;
  if (spikes) {
    const sinceOrigin = arrivalMs - originMs - spikes.phaseMs;
    if (sinceOrigin >= 0) {
      const windowStart = originMs + spikes.phaseMs + Math.floor(sinceOrigin / spikes.periodMs) * spikes.periodMs;
      if (arrivalMs < windowStart + spikes.holdMs) at = Math.max(at, windowStart + spikes.holdMs);
    }
  }
  return at;
}

/** When one ping or pong passed the proxy (bench ms of the proxy's process). */
export interface ExchangeRecord extends PeekedExchange {
  readonly arrivedMs: number;
  /** When the network model meant to deliver it (after TCP ordering). */
  readonly plannedMs: number;
  readonly writtenMs: number;
}

/**
 * Observed one-way delays of a direction (ms), as written, timers' lateness included; how late
 * the proxy wrote each chunk against its plan (its own event loop's lateness: the scenario it
 * failed to deliver); and every clock exchange that passed.
 */
export interface DelayRecord {
  readonly delaysMs: number[];
  readonly lateMs: number[];
  readonly exchanges: ExchangeRecord[];
}

export const emptyDelayRecord = (): DelayRecord => ({ delaysMs: [], lateMs: [], exchanges: [] });

const MAX_RECORDS = 200_000;

class DelayedPipe {
  private readonly queue: { at: number; arrived: number; data: Buffer; exchange: PeekedExchange | null }[] = [];
  private lastAt = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly target: Socket,
    private readonly model: LinkModel,
    private readonly originMs: number,
    private readonly random: () => number,
    private readonly record: DelayRecord,
  ) {}

  push(data: Buffer): void {
    const now = nowMs();
    const at = Math.max(plannedDelivery(this.model, now, this.originMs, this.random), this.lastAt);
    this.lastAt = at;
    this.queue.push({ at, arrived: now, data, exchange: peekExchange(data) });
    this.pump();
  }

  private pump(): void {
    if (this.timer) return;
    const now = nowMs();
    while (this.queue.length > 0 && this.queue[0]!.at <= now) {
      const item = this.queue.shift()!;
      if (!this.target.destroyed) this.target.write(item.data);
      if (this.record.delaysMs.length < MAX_RECORDS) {
        this.record.delaysMs.push(now - item.arrived);
        this.record.lateMs.push(now - item.at);
      }
      if (item.exchange && this.record.exchanges.length < MAX_RECORDS) this.record.exchanges.push({ ...item.exchange, arrivedMs: item.arrived, plannedMs: item.at, writtenMs: now });
    }
    const head = this.queue[0];
    if (head) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.pump();
      }, head.at - now);
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
  }
}

/** A running proxy for one client: where to connect, what it measured, how to stop it. */
export interface DelayProxy {
  readonly port: number;
  readonly up: DelayRecord;
  readonly down: DelayRecord;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (ephemeral port) and relays every connection to `targetPort` through `network`. */
export async function startDelayProxy(targetPort: number, network: ClientNetwork, seed: number): Promise<DelayProxy> {
  const up = emptyDelayRecord();
  const down = emptyDelayRecord();
  const random = seededRandom(seed);
  const originMs = nowMs();
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: "127.0.0.1", port: targetPort });
    for (const socket of [client, upstream]) {
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    }
    const upPipe = new DelayedPipe(upstream, network.up, originMs, random, up);
    const downPipe = new DelayedPipe(client, network.down, originMs, random, down);
    client.on("data", (data) => upPipe.push(data));
    upstream.on("data", (data) => downPipe.push(data));
    const teardown = () => {
      upPipe.dispose();
      downPipe.dispose();
      client.destroy();
      upstream.destroy();
    };
    client.on("close", teardown);
    upstream.on("close", teardown);
    client.on("error", teardown);
    upstream.on("error", teardown);
  });
  const port = await listenLoopback(server);
  return {
    port,
    up,
    down,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
