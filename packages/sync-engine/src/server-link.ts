import { CloseCode, PROTOCOL_VERSIONS, type ClientMessage } from "@sync-beats/protocol";
import { backoffDelayMs } from "./backoff.js";
import type { JoinTiming } from "./join-timing.js";
import type { ClosedReason, Clock, ConnectionState, Disposer, EngineError, JoinCredentials, SyncSocket } from "./types.js";

/** Server link timing. */
export const SERVER_LINK_TIMING = {
  /** A connection joined this long resets the backoff. */
  stableMs: 10_000,
  /** Consecutive 4001 closes (each with freshly fetched credentials) before giving up. */
  maxUnauthorized: 3,
} as const;

/** Close codes after which a retry cannot help. */
const FINAL_CLOSES: Partial<Record<number, Exclude<ClosedReason, "disconnected" | "unauthorized">>> = {
  [CloseCode.PROTOCOL_MISMATCH]: "protocol mismatch",
  [CloseCode.ROOM_CLOSED]: "room closed",
  [CloseCode.REMOVED]: "removed",
};

/** What {@link ServerLink} needs and reports. */
export interface ServerLinkDeps {
  readonly url: string;
  readonly roomCode: string;
  readonly createSocket: (url: string) => SyncSocket;
  readonly getJoinCredentials: () => Promise<JoinCredentials>;
  /** The scheduling margin and output latency declared on each join (LS1). */
  readonly joinTiming?: () => JoinTiming;
  readonly clock: Clock;
  readonly random: () => number;
  readonly onState: (state: ConnectionState) => void;
  readonly onFrame: (data: unknown) => void;
  readonly onFailure: (code: EngineError["code"], message: string) => void;
  /**
   * The server closed in a way that must not be retried (`closeReason` is the close frame's
   * text). The link stays as it is: the engine decides and calls {@link ServerLink.stop}.
   */
  readonly onFinalClose: (reason: Exclude<ClosedReason, "disconnected">, closeReason: string) => void;
}

/**
 * The engine's link to the sync server (not the server's per-socket `Connection`), one socket at
 * a time. The socket lifecycle: connecting → joining (credentials fetched afresh, `join` sent) → joined,
 * and on any close a full-jitter exponential backoff before the next attempt. A protocol mismatch
 * (4000) and a deleted room (4004) are final; unauthorized (4001) retries with new credentials a
 * few times, then is final (reported through `onFinalClose`).
 * Timers registered with {@link ServerLink.sessionTimer} die with the socket they belong to.
 */
export class ServerLink {
  private socket: SyncSocket | null = null;
  private state: ConnectionState = { status: "idle" };
  private attempt = 0;
  private unauthorized = 0;
  private session: Disposer[] = [];

  constructor(private readonly deps: ServerLinkDeps) {}

  /** Starts connecting unless already active. */
  start(): void {
    if (this.state.status !== "idle" && this.state.status !== "closed") return;
    this.attempt = 0;
    this.unauthorized = 0;
    this.open();
  }

  /** Closes for good (until the next `start`). */
  stop(reason: ClosedReason): void {
    this.setState({ status: "closed", reason });
    this.drop(1000, "client disconnect");
  }

  /** The server accepted our join. */
  markJoined(): void {
    this.unauthorized = 0;
    this.setState({ status: "joined", sinceMs: this.deps.clock.now() });
    this.sessionTimer(this.deps.clock.setTimeout(() => (this.attempt = 0), SERVER_LINK_TIMING.stableMs));
  }

  /** Ties a timer to the current socket: it is cancelled when the socket goes. */
  sessionTimer(dispose: Disposer): void {
    this.session.push(dispose);
  }

  /** Sends when joined (or a `join` while joining); false when there is no one to send to. */
  send(message: ClientMessage): boolean {
    const ready = this.state.status === "joined" || (message.type === "join" && this.state.status === "joining");
    if (!this.socket || !ready) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    this.deps.onState(state);
  }

  private open(): void {
    const socket = this.deps.createSocket(this.deps.url);
    this.socket = socket;
    this.setState({ status: "connecting", attempt: this.attempt });
    socket.onopen = () => void this.onOpen(socket);
    socket.onmessage = (event) => this.socket === socket && this.deps.onFrame(event.data);
    socket.onclose = (event) => this.socket === socket && this.onClose(event.code, event.reason);
    socket.onerror = () => undefined; // a close event always follows; it decides what to do
  }

  private async onOpen(socket: SyncSocket): Promise<void> {
    if (this.socket !== socket) return;
    this.setState({ status: "joining", attempt: this.attempt });
    let credentials: JoinCredentials;
    try {
      credentials = await this.deps.getJoinCredentials();
    } catch (error) {
      if (this.socket !== socket) return;
      // The API refuses a removed person their ticket (403 REMOVED): as final as the room's own 4011.
      if ((error as { code?: unknown } | null)?.code === "REMOVED") {
        socket.close(4003, "removed");
        return this.onClose(CloseCode.REMOVED, "removed");
      }
      this.deps.onFailure("CREDENTIALS", `could not get join credentials: ${String(error)}`);
      socket.close(4003, "no credentials");
      return this.onClose(4003, "no credentials");
    }
    if (this.socket !== socket) return;
    const timing = this.deps.joinTiming?.();
    this.send({ type: "join", roomCode: this.deps.roomCode, versions: { ...PROTOCOL_VERSIONS }, ...credentials, ...(timing ? { timing } : {}) });
  }

  private onClose(code: number, reason: string): void {
    this.drop();
    this.unauthorized = code === CloseCode.UNAUTHORIZED ? this.unauthorized + 1 : 0;
    const final = FINAL_CLOSES[code] ?? (this.unauthorized >= SERVER_LINK_TIMING.maxUnauthorized ? "unauthorized" : null);
    if (final) return this.deps.onFinalClose(final, reason);
    const delay = backoffDelayMs(this.attempt, this.deps.random);
    this.setState({ status: "backoff", attempt: this.attempt, retryAtMs: this.deps.clock.now() + delay });
    this.sessionTimer(
      this.deps.clock.setTimeout(() => {
        this.attempt += 1;
        this.open();
      }, delay),
    );
  }

  /** Forgets the socket (closing it when a code is given) and its timers. */
  private drop(code?: number, reason?: string): void {
    const socket = this.socket;
    this.socket = null;
    if (socket && code !== undefined) socket.close(code, reason);
    for (const dispose of this.session) dispose();
    this.session = [];
  }
}
