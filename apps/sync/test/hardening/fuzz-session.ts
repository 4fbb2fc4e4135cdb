import { PROTOCOL_VERSIONS, type ServerMessage } from "@sync-beats/protocol";
import fc from "fast-check";
import pino from "pino";
import { Connection } from "../../src/connection.js";
import { devIdentityVerifier } from "../../src/identity.js";
import { createMemoryBackplane } from "../../src/memory-backplane.js";
import { RoomRegistry } from "../../src/room-registry.js";
import { FakeClock } from "../fake-clock.js";
import { settle, testRoomConfig } from "../harness.js";
import { MemorySocket } from "../memory-socket.js";
import { type Action, actions, type FrameSpec, frameCount, MAIN_ROOM, MAX_FRAME_BYTES } from "./frames.js";
import { type Expectation, SyncModel } from "./room-model.js";

/**
 * One fuzz session against the in-memory server (fake clock, in-memory sockets): three members of
 * ROOM42 (the first hosts) and one stranger who has not joined, each sending generated frames,
 * with time passing in between. After every frame the sender's answer, the room's broadcast and
 * the sockets' open/closed state must match {@link SyncModel}; at the end the room's host and
 * timeline must too. Every frame the server sends is validated against the protocol by
 * {@link MemorySocket}.
 */

export const LIMITS = { maxFrameBytes: MAX_FRAME_BYTES, messagesPerSecond: 40, messageBurst: 80 };
const CONNECTIONS = 4;

/** Inputs sent across every session of this process, for the fuzz report. */
export const counters = { sessions: 0, frames: 0, errorFrames: 0, broadcasts: 0, byCode: new Map<string, number>() };

class Mismatch extends Error {}

function near(a: unknown, b: unknown, path = "$"): string | null {
  if (typeof a === "number" && typeof b === "number") {
    return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a)) ? null : `${path}: ${a} != ${b}`;
  }
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return a === b ? null : `${path}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`;
  const ka = Object.keys(a as object).sort();
  const kb = Object.keys(b as object).sort();
  if (ka.join() !== kb.join()) return `${path}: keys ${ka} != ${kb}`;
  for (const key of ka) {
    const diff = near((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
    if (diff) return diff;
  }
  return null;
}

function expectNear(actual: unknown, expected: unknown, what: string): void {
  const diff = near(actual, expected);
  if (diff) throw new Mismatch(`${what}: ${diff}\n  actual:   ${JSON.stringify(actual)}\n  expected: ${JSON.stringify(expected)}`);
}

/** How the session reaches a server: in-memory connections, or real sockets. */
export interface FuzzTransport {
  readonly clock: FakeClock;
  readonly registry: RoomRegistry;
  connect(): Promise<void>;
  sendText(index: number, text: string): void;
  sendBinary(index: number, bytes: Uint8Array): void;
  /** What the server will see of `text` (a real socket carries UTF-8, so lone surrogates become U+FFFD). */
  normalize(text: string): string;
  received(index: number): ServerMessage[];
  closedWith(index: number): number | null;
  /** Resolves once socket `index` holds at least `counts[index]` frames (in memory: once work settles). */
  waitFor(counts: number[], from?: number): Promise<void>;
  /** Resolves once socket `index` is closed (a real close handshake takes a round trip). */
  waitForClose?(index: number): Promise<void>;
  /** Frames that failed the protocol's ServerMessage schema (in memory, MemorySocket throws instead). */
  invalidFrames?(): string[];
  /** The server closes connections that have not joined after this long (in-memory: never). */
  readonly joinTimeoutMs?: number;
  dispose(): Promise<void>;
}

export function memoryTransport(): FuzzTransport {
  const clock = new FakeClock();
  const logger = pino({ level: "silent" });
  const registry = new RoomRegistry(clock, testRoomConfig, logger, createMemoryBackplane(clock));
  const sockets: MemorySocket[] = [];
  const connections: Connection[] = [];
  return {
    clock,
    registry,
    async connect() {
      const socket = new MemorySocket();
      sockets.push(socket);
      connections.push(new Connection(socket, { registry, verifyIdentity: devIdentityVerifier, clock, logger, limits: LIMITS }));
    },
    sendText: (index, text) => connections[index]!.onText(text, clock.now()),
    sendBinary: (index) => connections[index]!.onBinary(),
    normalize: (text) => text,
    received: (index) => sockets[index]!.received,
    closedWith: (index) => sockets[index]!.closed?.code ?? null,
    waitFor: () => settle(),
    dispose: async () => registry.dispose(),
  };
}

/** The model and a transport, checked against each other frame by frame. */
export function createFuzzServer(transport: FuzzTransport = memoryTransport(), limits = LIMITS) {
  const { clock, registry } = transport;
  const model = new SyncModel(limits, testRoomConfig);
  let count = 0;

  async function connect(): Promise<number> {
    await transport.connect();
    model.connect(clock.now());
    return count++;
  }

  function render(frame: FrameSpec): string | Uint8Array {
    if (frame.kind === "binary") return frame.bytes;
    if (frame.kind === "text") return transport.normalize(frame.text);
    return JSON.stringify({ type: "sync_check", clientPosMs: frame.clientPosMs, clientTimeMs: Math.max(0, clock.now() + frame.offsetMs) });
  }

  /** How many frames each socket must receive for an expectation. */
  function counts(from: number, expected: Expectation): number[] {
    const result = Array.from({ length: count }, (_, index) => transport.received(index).length);
    const room = "room" in expected ? model.rooms.get(expected.room)! : null;
    switch (expected.kind) {
      case "error":
      case "refused":
      case "pong":
      case "resync":
        result[from]! += 1;
        break;
      case "joined":
        result[from]! += 1 + expected.catchUp.length;
        for (const index of room!.members) if (index !== from) result[index]! += 1;
        break;
      case "broadcast":
        for (const index of room!.members) if (transport.closedWith(index) === null) result[index]! += 1;
        result[from]! += 1;
        break;
      case "nothing":
        break;
    }
    return result;
  }

  /** Sends one frame and checks every socket against the model's expectation. */
  async function send(from: number, frame: FrameSpec): Promise<void> {
    if (transport.closedWith(from) !== null) return;
    const payload = render(frame);
    const before = Array.from({ length: count }, (_, index) => transport.received(index).length);
    const now = clock.now();
    let expected: Expectation;
    if (typeof payload === "string") {
      expected = model.text(from, payload, now);
      transport.sendText(from, payload);
    } else {
      expected = model.binary(from);
      transport.sendBinary(from, payload);
    }
    await transport.waitFor(counts(from, expected), from);
    counters.frames++;
    const fresh = before.map((length, index) => transport.received(index).slice(length));
    const got = fresh[from]!;
    const describe = () => `frame from #${from}: ${typeof payload === "string" ? payload.slice(0, 300) : `binary(${payload.length})`}`;
    const others = (except: Set<number>) => {
      fresh.forEach((list, index) => {
        if (!except.has(index) && list.length > 0) throw new Mismatch(`${describe()}: #${index} got unexpected ${JSON.stringify(list).slice(0, 300)}`);
      });
    };
    try {
      switch (expected.kind) {
        case "error":
          counters.errorFrames++;
          counters.byCode.set(expected.code, (counters.byCode.get(expected.code) ?? 0) + 1);
          expectNear(
            got.map((m) => (m.type === "error" ? { type: m.type, code: m.code, versions: m.versions } : m)),
            [{ type: "error", code: expected.code, versions: expected.versions }],
            "error frame",
          );
          if (expected.close !== undefined) await transport.waitForClose?.(from);
          if (expected.close !== undefined) expectNear(transport.closedWith(from), expected.close, "close code");
          else if (transport.closedWith(from) !== null) throw new Mismatch(`socket closed with ${transport.closedWith(from)} on a frame that must keep it open`);
          others(new Set([from]));
          break;
        case "refused":
          counters.errorFrames++;
          counters.byCode.set(expected.code, (counters.byCode.get(expected.code) ?? 0) + 1);
          expectNear(
            got.map((m) => (m.type === "command_refused" ? { type: m.type, id: m.id, code: m.code } : m)),
            [{ type: "command_refused", id: expected.id, code: expected.code }],
            "command_refused",
          );
          if (transport.closedWith(from) !== null) throw new Mismatch(`socket closed with ${transport.closedWith(from)} on a refused command`);
          others(new Set([from]));
          break;
        case "joined": {
          const joined = got[0];
          const facts = { name: null, ownerId: null, listenersCanControl: false };
          expectNear(
            joined && joined.type === "joined"
              ? { userId: joined.userId, roomCode: joined.roomCode, role: joined.role, hostId: joined.hostId, room: joined.room, protocolVersion: joined.protocolVersion }
              : joined,
            { userId: expected.userId, roomCode: expected.room, role: expected.role, hostId: expected.hostId, room: facts, protocolVersion: expected.protocolVersion },
            "joined",
          );
          expectNear(got.slice(1), expected.catchUp, "PLAY_SYNC and pending SEEKs after joined");
          const peers = new Set(model.rooms.get(expected.room)!.members);
          for (const index of peers) {
            if (index === from) continue;
            expectNear(fresh[index]!.map((m) => m.type), ["user_joined"], `user_joined at #${index}`);
          }
          others(peers);
          break;
        }
        case "broadcast": {
          counters.broadcasts++;
          const peers = new Set(model.rooms.get(expected.room)!.members);
          const accepted = { type: "command_accepted", ...expected.accepted };
          for (const index of peers) {
            if (transport.closedWith(index) !== null) continue;
            expectNear(fresh[index], index === from ? [expected.message, accepted] : [expected.message], `broadcast at #${index}`);
          }
          others(peers);
          break;
        }
        case "pong":
          expectNear(got, [{ type: "time_pong", t0: expected.t0, t1: expected.t1, t2: now, serverTime: now, playbackPosition: expected.playbackPosition }], "time_pong");
          others(new Set([from]));
          break;
        case "resync":
          expectNear(got, [expected.message], "RESYNC");
          others(new Set([from]));
          break;
        case "nothing":
          expectNear(got, [], "no answer");
          others(new Set());
          break;
      }
    } catch (error) {
      if (error instanceof Mismatch) throw new Mismatch(`${describe()}\n  ${error.message}`);
      throw error;
    }
  }

  async function advance(ms: number): Promise<void> {
    clock.advance(ms);
    await transport.waitFor([]);
    if (transport.joinTimeoutMs === undefined) return;
    for (const index of model.joinTimeouts(clock.now(), transport.joinTimeoutMs)) {
      await transport.waitForClose?.(index);
      expectNear(transport.closedWith(index), 4002, `#${index} closed for not joining in time`);
    }
  }

  /** Every connection the model holds open is open; the rest are closed. */
  function compareSockets(): void {
    model.connections.forEach((connection, index) => {
      const closed = transport.closedWith(index);
      if ((connection.phase === "closed") !== (closed !== null)) throw new Mismatch(`#${index}: model says ${connection.phase}, socket closed with ${closed}`);
    });
  }

  /** Host and timeline of every room the model knows, compared at instants the server must still answer exactly. */
  function compareRooms(): void {
    const now = clock.now();
    for (const [code, expected] of model.rooms) {
      const room = registry.get(code);
      if (!room) throw new Mismatch(`room ${code} is missing from the registry`);
      expectNear(room.hostId, expected.host, `host of ${code}`);
      for (const t of [now - 4_999, now - 1_000, now, now + 150, now + 1_000, now + 5_000]) {
        expectNear(room.positionAt(t), expected.timeline ? expected.timeline.position(t) : null, `position of ${code} at now${t - now >= 0 ? "+" : ""}${t - now}`);
      }
    }
  }

  return { clock, registry, model, transport, connect, send, advance, compareRooms, compareSockets };
}

/** Runs one session: joins, the generated actions, then a late joiner per room and a final comparison. */
export async function runSession(list: Action[], transport: FuzzTransport = memoryTransport(), limits = LIMITS): Promise<void> {
  counters.sessions++;
  const server = createFuzzServer(transport, limits);
  try {
    await runActions(server, list);
  } finally {
    await transport.dispose();
  }
}

async function runActions(server: ReturnType<typeof createFuzzServer>, list: Action[]): Promise<void> {
  for (let index = 0; index < CONNECTIONS; index++) await server.connect();
  const names = ["host", "guest1", "guest2"];
  for (let index = 0; index < names.length; index++) {
    await server.send(index, { kind: "text", text: JSON.stringify({ type: "join", roomCode: MAIN_ROOM, versions: PROTOCOL_VERSIONS, userId: names[index] }) });
  }
  for (const action of list) {
    if (action.kind === "advance") await server.advance(action.ms);
    else if (action.kind === "frame") await server.send(action.from, action.frame);
    else for (let index = 0; index < action.count; index++) await server.send(action.from, action.frame);
  }
  server.compareRooms();
  server.compareSockets();
  const invalid = server.transport.invalidFrames?.() ?? [];
  if (invalid.length > 0) throw new Mismatch(`server sent frames outside the protocol: ${invalid.join(" | ")}`);
  for (const code of [...server.model.rooms.keys()]) {
    const probe = await server.connect();
    await server.send(probe, { kind: "text", text: JSON.stringify({ type: "join", roomCode: code, versions: PROTOCOL_VERSIONS, userId: "probe" }) });
  }
}

/** The property both `npm test` and `npm run fuzz` check, with the number of actions per session. */
export function sessionProperty(
  maxActions = 40,
  makeTransport: () => FuzzTransport | Promise<FuzzTransport> = memoryTransport,
  limits = LIMITS,
) {
  return fc.asyncProperty(actions(CONNECTIONS, maxActions), async (list) => {
    await runSession(list, await makeTransport(), limits);
  });
}

export { frameCount };
export type { ServerMessage };
