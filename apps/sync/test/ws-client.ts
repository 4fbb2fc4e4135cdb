import { PROTOCOL_VERSIONS, parseServerMessage, type ServerMessage, type ServerMessageOf, type ServerMessageType } from "@sync-beats/protocol";
import { WebSocket } from "ws";

/** A real `ws` client that queues validated server messages and lets a test await the next of a type. */
export class TestClient {
  readonly received: ServerMessage[] = [];
  private waiters: { matches: (message: ServerMessage) => boolean; resolve: (message: ServerMessage) => void; from: number }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const parsed = parseServerMessage(data.toString());
      if (!parsed.ok) throw new Error(`invalid server frame: ${data.toString()}`);
      this.received.push(parsed.message);
      this.flush();
    });
    this.closed = new Promise((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static async connect(url: string): Promise<TestClient> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    return new TestClient(ws);
  }

  /** Connects and joins `roomCode` in dev-identity mode; resolves once `joined` arrived. */
  static async join(url: string, userId: string, roomCode: string): Promise<TestClient> {
    const client = await TestClient.connect(url);
    client.send({ type: "join", roomCode, versions: PROTOCOL_VERSIONS, userId });
    await client.first("joined");
    return client;
  }

  send(message: object | string): void {
    this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  /** Resolves with the first message of `type` received after the `from`-th message (default: any not yet awaited). */
  next<T extends ServerMessageType>(type: T, timeoutMs = 5_000): Promise<ServerMessageOf<T>> {
    return this.wait((message) => message.type === type, type, this.received.length, timeoutMs) as Promise<ServerMessageOf<T>>;
  }

  /** Resolves with the server's answer to the command `id` (`command_accepted` or `command_refused`), seen so far or yet to come. */
  answer(id: string, timeoutMs = 5_000): Promise<ServerMessageOf<"command_accepted"> | ServerMessageOf<"command_refused">> {
    const matches = (message: ServerMessage) => (message.type === "command_accepted" || message.type === "command_refused") && message.id === id;
    return this.wait(matches, `the answer to ${id}`, 0, timeoutMs) as Promise<ServerMessageOf<"command_accepted"> | ServerMessageOf<"command_refused">>;
  }

  private wait(matches: (message: ServerMessage) => boolean, what: string, from: number, timeoutMs: number): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; got ${this.received.map((m) => m.type).join(",")}`)), timeoutMs);
      this.waiters.push({
        matches,
        from,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      });
      this.flush();
    });
  }

  /** The first message of `type` seen so far, or one yet to come. */
  first<T extends ServerMessageType>(type: T): Promise<ServerMessageOf<T>> {
    const seen = this.received.find((message) => message.type === type);
    return seen ? Promise.resolve(seen as ServerMessageOf<T>) : this.next(type);
  }

  close(): void {
    this.ws.close();
  }

  private flush(): void {
    this.waiters = this.waiters.filter((waiter) => {
      const match = this.received.slice(waiter.from).find(waiter.matches);
      if (match) waiter.resolve(match);
      return !match;
    });
  }
}
