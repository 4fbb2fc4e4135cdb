import { PROTOCOL_VERSION, type RoomFacts, type ServerMessage } from "@sync-beats/protocol";
import { vi } from "vitest";
import { createSyncEngine } from "../src/index.js";
import type { JoinCredentials, SyncAlgorithm } from "../src/types.js";
import { FakeAudioOutput, type FakeAudioOptions } from "./fake-audio.js";
import { FakeClock } from "./fake-clock.js";
import { socketFactory, type FakeSocket } from "./fake-socket.js";
import { trueServerTime, type DelayModel, type TrueClock } from "./network-model.js";

export const TRACK = { audioUrl: "/tracks/a.wav", duration: 180_000, title: "A" } as const;
export const OTHER = { audioUrl: "/tracks/b.wav", duration: 120_000, title: "B" } as const;

/** Options of {@link harness}. */
export interface HarnessOptions {
  readonly audio?: FakeAudioOptions;
  /** The server clock against the local one. */
  readonly server?: TrueClock;
  /** One-way network delays (ms). */
  readonly upMs?: number;
  readonly downMs?: number;
  /** Per-ping one-way delays (ms; jitter), instead of `upMs` / `downMs`, for the clock exchange. */
  readonly pingDelays?: DelayModel;
  readonly algorithm?: SyncAlgorithm;
  readonly random?: () => number;
}

/** An engine wired to a fake clock, fake sockets (played by a tiny scripted server) and a fake device. */
export function harness(options: HarnessOptions = {}) {
  const clock = new FakeClock(1_000);
  const sockets = socketFactory();
  const audio = new FakeAudioOutput(clock, options.audio);
  const server: TrueClock = options.server ?? { offsetMs: 1.764e12, skew: 0 };
  const up = options.upMs ?? 5;
  const down = options.downMs ?? 5;
  let ticket = 0;
  const credentials = vi.fn(async (): Promise<JoinCredentials> => ({ ticket: `ticket-${++ticket}` }));
  const warn = vi.fn();
  const engine = createSyncEngine({
    syncUrl: "ws://sync.test",
    roomCode: "ABCD",
    getJoinCredentials: credentials,
    createSocket: sockets.create,
    clock,
    audio,
    random: options.random ?? (() => 0.5),
    algorithm: options.algorithm,
    logger: { warn },
  });
  const serverNow = () => trueServerTime(server, clock.now());

  /** Delivers `message` to the client after the down-leg delay. */
  const deliver = (socket: FakeSocket, message: ServerMessage) => clock.setTimeout(() => socket.receive(message), down);

  /** Answers pings like the real server (t1 on receipt, t2 on send), through the delays. */
  const serve = (socket: FakeSocket) => {
    socket.onSend = (message) => {
      if (message.type !== "time_ping") return;
      const legs = options.pingDelays?.() ?? { up, down };
      clock.setTimeout(() => {
        const t1 = serverNow();
        const pong = { type: "time_pong", t0: message.t0 as number, t1, t2: t1, serverTime: t1, playbackPosition: null } as const;
        clock.setTimeout(() => socket.receive(pong), legs.down);
      }, legs.up);
    };
  };

  /** Opens the newest socket, answers its join (as host, or as a listener of host u2), and lets the ping burst settle. */
  const join = async (isHost = true, settleMs = 1_500, facts: Partial<RoomFacts> = {}) => {
    const socket = sockets.last();
    serve(socket);
    socket.open();
    await clock.advance(0);
    socket.receive({
      type: "joined",
      roomCode: "ABCD",
      userId: "u1",
      role: isHost ? "host" : "listener",
      hostId: isHost ? "u1" : "u2",
      room: { name: "Den", ownerId: "u1", listenersCanControl: false, ...facts },
      protocolVersion: PROTOCOL_VERSION,
      serverTime: serverNow(),
      participants: [{ userId: "u1", name: "Ann", role: isHost ? "host" : "listener", isOwner: true }],
    });
    await clock.advance(settleMs);
    return socket;
  };

  return { clock, sockets, audio, server, engine, credentials, warn, serverNow, join, deliver };
}
