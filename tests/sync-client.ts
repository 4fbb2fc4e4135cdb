/** A real WebSocket client of the sync server for the cross-app tests, recording what it hears. */
import { PROTOCOL_VERSIONS } from "@sync-beats/protocol";
import { WebSocket } from "ws";

/** A server frame as received (tests check fields with `toMatchObject`). */
export interface Frame {
  type: string;
  [key: string]: unknown;
}

/** A WebSocket client that records frames and the close code. */
export class SyncClient {
  readonly frames: Frame[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: Array<() => void> = [];
  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      this.wake();
    });
    ws.on("close", (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  static async connect(url: string): Promise<SyncClient> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    return new SyncClient(ws);
  }

  private wake() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  send(message: object) {
    this.ws.send(JSON.stringify(message));
  }

  /** Resolves once `predicate` holds (checked on every frame and on close); rejects if closed first. */
  async until<T>(predicate: () => T | undefined | null, what: string): Promise<T> {
    for (;;) {
      const value = predicate();
      if (value) return value;
      if (this.closed) throw new Error(`closed (${this.closed.code} ${this.closed.reason}) before ${what}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  frame(type: string): Promise<Frame> {
    return this.until(() => this.frames.find((f) => f.type === type), type);
  }

  /** The close, once it happens. */
  async closing(): Promise<{ code: number; reason: string }> {
    while (!this.closed) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.closed;
  }

  join(roomCode: string, ticket: string) {
    this.send({ type: "join", roomCode, versions: PROTOCOL_VERSIONS, ticket });
  }

  close() {
    this.ws.close();
  }
}

/** The answer to the command with `id` (accepted or refused). */
export function answerTo(socket: SyncClient, id: string): Promise<Frame> {
  return socket.until(() => socket.frames.find((f) => (f.type === "command_accepted" || f.type === "command_refused") && f.id === id), `answer to ${id}`);
}

/** `promise`, or a rejection naming `what` once `ms` have passed without it. */
export async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
