import { parseServerMessage, type ServerMessage, type ServerMessageOf, type ServerMessageType } from "@sync-beats/protocol";
import type { ClientSocket, OutboundFrame } from "../src/client-socket.js";

/** Records what the server sent, validated against the protocol so a malformed frame fails the test. */
export class MemorySocket implements ClientSocket {
  readonly received: ServerMessage[] = [];
  closed: { code: number; reason: string } | null = null;

  get isOpen(): boolean {
    return this.closed === null;
  }

  send(frame: OutboundFrame): boolean {
    if (this.closed) return false;
    const text = frame.toString();
    const parsed = parseServerMessage(text);
    if (!parsed.ok) throw new Error(`server sent an invalid frame: ${parsed.message}: ${text}`);
    this.received.push(parsed.message);
    return true;
  }

  close(code: number, reason: string): void {
    this.closed = { code, reason };
  }

  ofType<T extends ServerMessageType>(type: T): ServerMessageOf<T>[] {
    return this.received.filter((message): message is ServerMessageOf<T> => message.type === type);
  }

  last<T extends ServerMessageType>(type: T): ServerMessageOf<T> {
    const all = this.ofType(type);
    const message = all[all.length - 1];
    if (!message) throw new Error(`no ${type} received; got ${this.received.map((m) => m.type).join(", ")}`);
    return message;
  }

  clear(): void {
    this.received.length = 0;
  }
}
