/**
 * One benchmark client: a `ws` connection that joins a room with a dev identity, runs timers
 * while joined, and hands every validated frame to the fleet. It can leave (cleanly or by
 * dropping the TCP connection) and join again under the same user id.
 */
import { type ClientMessage, parseServerMessage, PROTOCOL_VERSIONS, type ServerMessage } from "@sync-beats/protocol";
import { EMPTY_TIMELINE, type Timeline } from "@sync-beats/timeline";
import WebSocket from "ws";

export type ClientState = "offline" | "joining" | "joined" | "leaving";

export interface ClientHandlers {
  onFrame(client: SoakClient, message: ServerMessage): void;
  /** A frame that failed the protocol's own schema: a server bug. */
  onInvalidFrame(client: SoakClient, reason: string): void;
  /** The connection ended; `deliberate` when the benchmark ended it. */
  onClosed(client: SoakClient, deliberate: boolean, code: number): void;
}

export class SoakClient {
  state: ClientState = "offline";
  /**
   * What this client would render, from the frames it received since it last joined: the
   * browser engine's own timeline code, so a RESYNC here points at a lost or late frame.
   */
  timeline: Timeline = EMPTY_TIMELINE;
  /** Whether the latest pong's server position disagreed with this client's timeline. */
  diverged = false;
  /** `performance.now()` when the latest `joined` arrived. */
  joinedAtMs = 0;
  private ws: WebSocket | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly id: number,
    readonly userId: string,
    readonly roomCode: string,
    private readonly url: string,
    private readonly handlers: ClientHandlers,
  ) {}

  /** Opens a connection and joins; true once `joined` arrived within `timeoutMs`. */
  connect(timeoutMs: number): Promise<boolean> {
    this.state = "joining";
    this.timeline = EMPTY_TIMELINE;
    this.diverged = false;
    const ws = new WebSocket(this.url, { perMessageDeflate: false });
    this.ws = ws;
    return new Promise((resolve) => {
      const timeout = setTimeout(() => {
        ws.terminate();
        resolve(false);
      }, timeoutMs);
      ws.on("open", () => ws.send(JSON.stringify({ type: "join", roomCode: this.roomCode, versions: PROTOCOL_VERSIONS, userId: this.userId })));
      ws.on("message", (data: Buffer) => {
        if (this.ws !== ws || this.state === "leaving") return;
        const parsed = parseServerMessage(data.toString());
        if (!parsed.ok) {
          this.handlers.onInvalidFrame(this, parsed.message);
          return;
        }
        if (parsed.message.type === "joined" && this.state === "joining") {
          this.state = "joined";
          this.joinedAtMs = performance.now();
          clearTimeout(timeout);
          resolve(true);
        }
        this.handlers.onFrame(this, parsed.message);
      });
      // An `error` event is always followed by `close`, which reports it.
      ws.on("error", () => undefined);
      ws.on("close", (code) => {
        clearTimeout(timeout);
        resolve(false);
        if (this.ws !== ws) return;
        const deliberate = this.state === "leaving";
        this.stopTimers();
        this.ws = null;
        this.state = "offline";
        this.handlers.onClosed(this, deliberate, code);
      });
    });
  }

  send(message: ClientMessage): boolean {
    if (this.state !== "joined" || this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  /** Runs `action` every `periodMs` (first at a random phase) until the connection ends. */
  every(periodMs: number, action: () => void): void {
    const start = setTimeout(() => {
      this.timers.delete(start);
      action();
      this.timers.add(setInterval(action, periodMs));
    }, Math.random() * periodMs);
    this.timers.add(start);
  }

  /** Leaves on purpose: a close handshake, or (`abrupt`) a dropped TCP connection. */
  leave(abrupt: boolean): void {
    if (!this.ws) return;
    this.state = "leaving";
    this.stopTimers();
    if (abrupt) this.ws.terminate();
    else this.ws.close(1000, "soak churn");
  }

  private stopTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
