import type { Duplex } from "node:stream";
import { CloseCode } from "@sync-beats/protocol";
import type { Logger } from "pino";
import { type RawData, WebSocket } from "ws";
import type { ClientSocket, OutboundFrame } from "./client-socket.js";
import type { ServerClock } from "./clock.js";
import { Connection, type ConnectionDeps } from "./connection.js";
import type { Heartbeat, HeartbeatSweep, Pingable } from "./heartbeat.js";
import { PING_FRAME, type SharedFrames, textFrame } from "./ws-frames.js";

/** A socket whose unsent data grows past this is too slow to follow the room; it is dropped. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** A connection must join within this long. */
export const JOIN_TIMEOUT_MS = 10_000;

/** What every client of one server shares. */
export interface WsAdapterDeps {
  clock: ServerClock;
  logger: Logger;
  heartbeat: HeartbeatSweep;
  /** Frames broadcast payloads once for all of this server's sockets. */
  frames: SharedFrames;
  connection: ConnectionDeps;
  onClose(): void;
}

const ADAPTER = Symbol("ws-adapter");
type TaggedSocket = WebSocket & { [ADAPTER]: WsAdapter };
/** `ws` keeps the upgraded TCP socket here (not public API; server.integration tests cover it). */
type WithRawSocket = WebSocket & { _socket: Duplex };

/**
 * One `ws` socket as the room's {@link ClientSocket}, with its heartbeat and its
 * {@link Connection}. Methods live on the class and the socket's listeners are shared by every
 * socket (they find their client through `this`): a closure per socket costs memory that every
 * mark-compact walks (tsx's keepNames redefines each closure's `name` as it is created), and at
 * 15,000 sockets that was most of the gap to a bare `ws` server's RSS.
 */
export class WsAdapter implements ClientSocket, Pingable {
  private readonly connection: Connection;
  private readonly heartbeat: Heartbeat;
  private readonly stopJoinTimer: () => void;
  private readonly raw: Duplex;

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: WsAdapterDeps,
  ) {
    this.connection = new Connection(this, deps.connection);
    this.raw = (ws as WithRawSocket)._socket;
    (ws as TaggedSocket)[ADAPTER] = this;
    ws.on("message", onMessage);
    ws.on("pong", onPong);
    ws.on("error", onError);
    ws.on("close", onClose);
    // The heartbeat's ping/pong is also how the server measures each round trip itself (lead
    // sizing never trusts a client's word).
    this.heartbeat = deps.heartbeat.add(this);
    this.stopJoinTimer = deps.clock.setTimeout(() => this.joinTimedOut(), JOIN_TIMEOUT_MS);
  }

  send(frame: OutboundFrame): boolean {
    const ws = this.ws;
    if (ws.readyState !== WebSocket.OPEN) return false;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.terminate();
      return false;
    }
    // The whole frame in one write, bypassing `ws`'s sender: it only queues frames while it
    // compresses (perMessageDeflate is off) or reads a Blob (never sent here), so the bytes go out
    // in the order they would have gone through `ws.send`, pings and the close frame included.
    this.raw.write(typeof frame === "string" ? textFrame(frame) : this.deps.frames.frameOf(frame));
    return true;
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  /** The heartbeat's ping, written whole like the text frames; once closing, none (as `ws.ping`). */
  ping(): void {
    if (this.ws.readyState === WebSocket.OPEN) this.raw.write(PING_FRAME);
  }

  terminate(): void {
    this.ws.terminate();
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  received(data: RawData, isBinary: boolean): void {
    const receivedAt = this.deps.clock.now();
    if (isBinary) this.connection.onBinary();
    else this.connection.onText(data.toString(), receivedAt);
  }

  ponged(): void {
    const rttMs = this.deps.heartbeat.pong(this.heartbeat);
    if (rttMs !== null) this.connection.onRtt(rttMs);
  }

  failed(error: Error): void {
    this.deps.logger.debug({ err: error }, "socket error");
  }

  closed(): void {
    this.deps.heartbeat.remove(this.heartbeat);
    this.stopJoinTimer();
    this.connection.onClose();
    this.deps.onClose();
  }

  private joinTimedOut(): void {
    if (this.connection.phase === "awaiting-join") this.ws.close(CloseCode.JOIN_TIMEOUT, "join timeout");
  }
}

function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  (this as TaggedSocket)[ADAPTER].received(data, isBinary);
}
function onPong(this: WebSocket): void {
  (this as TaggedSocket)[ADAPTER].ponged();
}
function onError(this: WebSocket, error: Error): void {
  (this as TaggedSocket)[ADAPTER].failed(error);
}
function onClose(this: WebSocket): void {
  (this as TaggedSocket)[ADAPTER].closed();
}
