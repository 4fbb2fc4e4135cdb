/** The generator's bookkeeping: clients, rooms, in-flight commands, per-phase counters. */
import WebSocket from "ws";
import { Histogram } from "./histogram.js";
import type { RoomPlan, WireCount } from "./ipc.js";

/** The track every host plays; long enough that no run reaches its end. */
export const TRACK = { audioUrl: "/bench.wav", duration: 600_000 } as const;

export interface Anchor {
  atServerMs: number;
  positionMs: number;
}

export interface Command {
  id: number;
  sentAt: bigint;
  remaining: number;
  stats: LiveStats;
  room: RoomRun;
  seen: boolean;
}

export interface Client {
  ws: WebSocket;
  room: RoomRun;
  isHost: boolean;
  crossNode: boolean;
  onJoined: (() => void) | null;
}

export interface RoomRun {
  plan: RoomPlan;
  clients: Client[];
  seq: number;
  inFlight: Map<number, Command>;
  /** The host's commands it has not itself received back yet (saturation window). */
  outstanding: number;
  nextAllowedMs: number;
  anchors: Anchor[];
  onPlaying: (() => void) | null;
}

export class LiveStats {
  readonly startedAt = performance.now();
  endedAt: number | null = null;
  commandsSent = 0;
  readonly sameNode = new Histogram();
  readonly crossNode = new Histogram();
  /** time_ping → time_pong round trips, as the clients measure them. */
  readonly pongRtt = new Histogram();
  readonly commands: Command[] = [];
  framesReceived = 0;
  readonly received: Record<string, WireCount> = {};
  pingsReceived = 0;
  /** Command receipts that arrived while this phase ran (its throughput). */
  receipts = 0;
  /** Receipts of this phase's commands that came after the command's effect instant. */
  lateReceipts = 0;
  framesSent = 0;
  pongs = 0;
  resyncs = 0;
  readonly errors: Record<string, number> = {};
  lagP99Ms = 0;

  /** Counts one received frame of `type` with its payload bytes. */
  receivedFrame(type: string, bytes: number): void {
    const count = (this.received[type] ??= { frames: 0, bytes: 0 });
    count.frames++;
    count.bytes += bytes;
  }

  error(key: string): void {
    this.errors[key] = (this.errors[key] ?? 0) + 1;
  }
}

/**
 * The room's position at `serverMs` from the commands received so far (what a player renders).
 * Kept minimal and apart from `@sync-beats/timeline` on purpose: the load bench only ever plays
 * and seeks, and its sync_checks need only load the server, not check it.
 */
export function positionAt(room: RoomRun, serverMs: number): number {
  const { anchors } = room;
  let anchor = anchors[0];
  for (let index = anchors.length - 1; index >= 0; index--) {
    if (anchors[index]!.atServerMs <= serverMs) {
      anchor = anchors[index];
      break;
    }
  }
  if (!anchor) return 0;
  const elapsed = Math.max(0, serverMs - anchor.atServerMs);
  return Math.min(TRACK.duration, anchor.positionMs + elapsed);
}

export function addAnchor(room: RoomRun, anchor: Anchor): void {
  room.anchors.push(anchor);
  if (room.anchors.length > 64) room.anchors.splice(0, room.anchors.length - 64);
}

export function openClients(room: RoomRun): number {
  let open = 0;
  for (const client of room.clients) if (client.ws.readyState === WebSocket.OPEN) open++;
  return open;
}

/** Runs `work` over `items` with at most `limit` in flight; counts the failures. */
export async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<boolean>): Promise<number> {
  let next = 0;
  let failed = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const item = items[next++]!;
      if (!(await work(item))) failed++;
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return failed;
}
