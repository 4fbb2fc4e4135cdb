import type { ServerMessage } from "@sync-beats/protocol";
import type { SyncSocket } from "../src/types.js";

/** An in-memory socket: the test plays the server through `open`, `receive` and `serverClose`. */
export class FakeSocket implements SyncSocket {
  readonly sent: unknown[] = [];
  closed: { code?: number; reason?: string } | null = null;
  onopen: SyncSocket["onopen"] = null;
  onmessage: SyncSocket["onmessage"] = null;
  onclose: SyncSocket["onclose"] = null;
  onerror: SyncSocket["onerror"] = null;
  /** Lets a test server react to what the client sends. */
  onSend: ((message: { type: string } & Record<string, unknown>) => void) | null = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.closed) throw new Error("send on a closed socket");
    const message = JSON.parse(data) as { type: string } & Record<string, unknown>;
    this.sent.push(message);
    this.onSend?.(message);
  }

  close(code?: number, reason?: string): void {
    this.closed = { code, reason };
  }

  open(): void {
    this.onopen?.({});
  }

  receive(message: ServerMessage | string): void {
    this.onmessage?.({ data: typeof message === "string" ? message : JSON.stringify(message) });
  }

  serverClose(code: number, reason = ""): void {
    this.closed = { code, reason };
    this.onclose?.({ code, reason });
  }

  /** Sent messages of one type. */
  sentOf<T extends string>(type: T): Array<{ type: T } & Record<string, unknown>> {
    return this.sent.filter((m): m is { type: T } & Record<string, unknown> => (m as { type?: string }).type === type);
  }
}

/** A `createSocket` that records every socket it makes. */
export function socketFactory() {
  const sockets: FakeSocket[] = [];
  const create = (url: string) => {
    const socket = new FakeSocket(url);
    sockets.push(socket);
    return socket;
  };
  return { sockets, create, last: () => sockets[sockets.length - 1]! };
}
