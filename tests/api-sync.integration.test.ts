/**
 * The "done when" of issue 4, end to end over real HTTP and WebSocket: signup → login → create a
 * room → upload a track → ticket → join the sync server → play; and the sync server refusing
 * forged, expired, other-room and replayed tickets. Both servers share one data directory, so the
 * sync server reads the ticket secret the API generated there. Runs on SQLite, and on PostgreSQL
 * when TEST_DATABASE_URL is set. (A cross-app test may import both apps; apps themselves never do.)
 */
import { PROTOCOL_VERSION, RoomResponse, TicketResponse, TrackResponse, CloseCode } from "@sync-beats/protocol";
import { signTicket } from "@sync-beats/ticket";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { WebSocket } from "ws";
import { encodeWav } from "@sync-beats/demo-tracks";
import { describeEachBackend, startTestApi, uniqueName, type Client, type TestApi } from "@sync-beats/api/testing";
import { loadConfig as loadSyncConfig, startSyncServer, type RunningSyncServer } from "@sync-beats/sync";

interface Frame {
  type: string;
  [key: string]: unknown;
}

/** A WebSocket client that records frames and the close code. */
class SyncClient {
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
    this.send({ type: "join", roomCode, protocolVersion: PROTOCOL_VERSION, ticket });
  }

  close() {
    this.ws.close();
  }
}

describeEachBackend("API + sync server", (backend) => {
  let api: TestApi;
  let sync: RunningSyncServer;
  let syncUrl: string;
  let host: Client;
  let guest: Client;
  let code: string;

  beforeAll(async () => {
    api = await startTestApi(backend, { seedDemoTracks: false });
    const config = loadSyncConfig({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: api.config.dataDir, LOG_LEVEL: "silent" });
    sync = await startSyncServer(config, pino({ level: "silent" }));
    syncUrl = `ws://127.0.0.1:${sync.port}/`;
    host = api.client();
    guest = api.client();
    const hostName = uniqueName("host");
    await host.signup(hostName, "host password 123", "Host");
    await guest.signup(uniqueName("guest"), undefined, "Guest");
    // Log in again, as a returning user would.
    expect((await host.post("/auth/login", { username: hostName, password: "host password 123" })).status).toBe(200);
    code = RoomResponse.parse(await (await host.post("/api/rooms", { name: "Integration" })).json()).room.code;
  });
  afterAll(async () => {
    await sync?.close();
    await api?.dispose();
  });

  async function ticketFor(client: Client, roomCode = code) {
    const response = await client.post(`/api/rooms/${roomCode}/ticket`);
    expect(response.status).toBe(200);
    return TicketResponse.parse(await response.json());
  }

  it("[X1] upload → ticket → join → PLAY reaches a late joiner, who can fetch the audio by Range", async () => {
    const bytes = encodeWav({ sampleRate: 8000, channels: 1, format: "pcm16", frames: 16_000, sample: (i) => Math.sin(i / 5) / 2, title: "Two Seconds" });
    const data = new FormData();
    data.append("file", new Blob([new Uint8Array(bytes)], { type: "audio/wav" }), "two.wav");
    const uploaded = await host.call("POST", "/api/tracks", { body: data });
    expect(uploaded.status).toBe(201);
    const { track } = TrackResponse.parse(await uploaded.json());

    const hostSocket = await SyncClient.connect(syncUrl);
    hostSocket.join(code, (await ticketFor(host)).ticket);
    const joined = await hostSocket.frame("joined");
    expect(joined).toMatchObject({ roomCode: code, isHost: true });
    hostSocket.send({ type: "PLAY", audioUrl: track.audioUrl, duration: track.durationMs, trackId: track.id, title: track.title });
    await hostSocket.frame("PLAY");

    const guestSocket = await SyncClient.connect(syncUrl);
    guestSocket.join(code, (await ticketFor(guest)).ticket);
    expect(await guestSocket.frame("joined")).toMatchObject({ isHost: false });
    const playSync = await guestSocket.frame("PLAY_SYNC");
    expect(playSync).toMatchObject({ audioUrl: track.audioUrl, trackId: track.id });

    const audio = await fetch(String(playSync.audioUrl), { headers: { range: "bytes=0-3" } });
    expect(audio.status).toBe(206);
    expect(Buffer.from(await audio.arrayBuffer()).toString("ascii")).toBe("RIFF");
    hostSocket.close();
    guestSocket.close();
  });

  it.each([
    ["forged (wrong secret)", () => signTicket({ userId: "mallory", name: "M", roomCode: code, role: "host", canControl: true }, "not-the-shared-secret-at-all")],
    ["expired", () => signTicket({ userId: "late", name: "L", roomCode: code, role: "guest", canControl: false, exp: Date.now() - 1000 }, api.config.syncSecret)],
  ])("[X2] a %s ticket gets an UNAUTHORIZED error and close 4001", async (_label, makeTicket) => {
    const socket = await SyncClient.connect(syncUrl);
    socket.join(code, makeTicket());
    expect((await socket.closing()).code).toBe(CloseCode.UNAUTHORIZED);
    expect(socket.frames.find((f) => f.type === "error")?.code).toBe("UNAUTHORIZED");
  });

  it("[X3] a ticket for another room, or one used twice, is refused", async () => {
    const other = RoomResponse.parse(await (await guest.post("/api/rooms", { name: "Other" })).json()).room.code;
    const otherTicket = (await ticketFor(guest, other)).ticket;
    const wrongRoom = await SyncClient.connect(syncUrl);
    wrongRoom.join(code, otherTicket);
    expect((await wrongRoom.closing()).code).toBe(CloseCode.UNAUTHORIZED);

    const ticket = (await ticketFor(guest)).ticket;
    const first = await SyncClient.connect(syncUrl);
    first.join(code, ticket);
    await first.frame("joined");
    const replay = await SyncClient.connect(syncUrl);
    replay.join(code, ticket);
    expect((await replay.closing()).code).toBe(CloseCode.UNAUTHORIZED);
    first.close();
  });
});
