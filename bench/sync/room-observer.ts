/**
 * Room mode's truth: a listener account of the benchmark's own, joined on loopback (no proxy)
 * with a ticket from the API like any member, records every timeline broadcast the server sends
 * (PLAY, SEEK, RESUME, TRACK_CHANGE, PAUSE) and measures the server clock against the bench
 * clock with loopback `time_ping`s. The pages are driven through the UI; this socket only listens.
 */
import { WebSocket } from "ws";
import { PROTOCOL_VERSIONS, type ServerMessage } from "@sync-beats/protocol";
import { quantile } from "./fit.js";
import { nowMs, sleep } from "./time.js";

/** A timeline broadcast in server time; `positionMs` is null for a PAUSE. */
export interface ObservedEvent {
  readonly type: "PLAY" | "SEEK" | "RESUME" | "TRACK_CHANGE" | "PAUSE";
  readonly atServerMs: number;
  readonly positionMs: number;
  readonly trackId: string | null;
  readonly receivedBenchMs: number;
}

export interface RoomObserver {
  readonly events: ObservedEvent[];
  /** Server clock minus bench clock (median of the best loopback pings), ms. */
  serverMinusBenchMs(): Promise<number>;
  /** Resolves with the first event of `type` after `count` events were seen. */
  next(type: ObservedEvent["type"], afterCount: number, timeoutMs: number): Promise<ObservedEvent>;
  close(): void;
}

/** What a broadcast says about the timeline, or null if it says nothing. */
export function timelineEvent(message: ServerMessage, receivedBenchMs: number): ObservedEvent | null {
  const at = (type: ObservedEvent["type"], atServerMs: number, positionMs: number, trackId: string | null = null) => ({ type, atServerMs, positionMs, trackId, receivedBenchMs });
  switch (message.type) {
    case "PLAY":
      return at("PLAY", message.startServerMs, message.positionMs, message.trackId ?? null);
    case "SEEK":
      return at("SEEK", message.atServerMs, message.seekPositionMs);
    case "RESUME":
      return at("RESUME", message.startServerMs, message.positionMs);
    case "PAUSE":
      return at("PAUSE", message.atServerMs, message.positionMs);
    case "TRACK_CHANGE":
      return at("TRACK_CHANGE", message.startServerMs, 0, message.trackData.trackId ?? null);
    default:
      return null;
  }
}

/** Takes a ticket for `roomCode` with the observer account's session `cookie` and joins. */
export async function observeRoom(apiUrl: string, syncPort: number, roomCode: string, cookie: string): Promise<RoomObserver> {
  const ticketResponse = await fetch(`${apiUrl}/api/rooms/${roomCode}/ticket`, { method: "POST", headers: { cookie } });
  if (!ticketResponse.ok) throw new Error(`observer ticket: HTTP ${ticketResponse.status}`);
  const { ticket } = (await ticketResponse.json()) as { ticket: string };
  const socket = new WebSocket(`ws://127.0.0.1:${syncPort}/`);
  const events: ObservedEvent[] = [];
  const pongs: { sentMs: number; t1: number; t2: number; receivedMs: number }[] = [];
  const listeners = new Set<() => void>();
  socket.on("message", (data: Buffer) => {
    const receivedMs = nowMs();
    const message = JSON.parse(data.toString("utf8")) as ServerMessage;
    if (message.type === "time_pong") pongs.push({ sentMs: message.t0, t1: message.t1, t2: message.t2, receivedMs });
    const event = timelineEvent(message, receivedMs);
    if (event) events.push(event);
    for (const listener of listeners) listener();
  });
  let socketError: Error | null = null;
  // Kept for the socket's whole life: an unhandled 'error' event would end the benchmark.
  socket.on("error", (error) => (socketError = error));
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("close", () => reject(socketError ?? new Error("observer socket closed")));
  });
  const joined = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("observer: no joined from the sync server")), 10_000);
    socket.on("message", (data: Buffer) => {
      const type = (JSON.parse(data.toString("utf8")) as { type: string }).type;
      if (type === "joined") {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  socket.send(JSON.stringify({ type: "join", roomCode, versions: PROTOCOL_VERSIONS, ticket }));
  await joined;

  return {
    events,
    async serverMinusBenchMs() {
      pongs.length = 0;
      for (let i = 0; i < 20; i += 1) {
        socket.send(JSON.stringify({ type: "time_ping", t0: nowMs() }));
        await sleep(30);
      }
      await sleep(200);
      const best = [...pongs].sort((a, b) => a.receivedMs - a.sentMs - (a.t2 - a.t1) - (b.receivedMs - b.sentMs - (b.t2 - b.t1))).slice(0, 5);
      if (best.length === 0) throw new Error("observer: no time_pong");
      return quantile(best.map((p) => (p.t1 - p.sentMs + (p.t2 - p.receivedMs)) / 2), 0.5);
    },
    next(type, afterCount, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.slice(afterCount).find((e) => e.type === type);
          if (!found) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`observer: no ${type} within ${timeoutMs} ms`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    close: () => socket.close(),
  };
}
