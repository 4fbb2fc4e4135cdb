/**
 * The soak's clients: R rooms of C/R clients each, playing the real client pattern (`time_ping`
 * every 3 s, `sync_check` every 2 s from the rendered position, the host cycling through every
 * command), with churn: some clients leave and come back each minute. Every command broadcast and
 * every pong is accounted for in a {@link DeliveryLedger}.
 */
import type { ServerMessage } from "@sync-beats/protocol";
import { applyTimelineMessage, isTimelineMessage, positionAt, stateAt } from "@sync-beats/timeline";
import { pool } from "../load/generator-state.js";
import { Histogram } from "../load/histogram.js";
import { type ClientHandlers, SoakClient } from "./client.js";
import { commandFor, receiptKey } from "./commands.js";
import { type DriftRecord, newCounters } from "./counters.js";
import { DeliveryLedger } from "./delivery-ledger.js";
import { QueueTraffic } from "./queue-traffic.js";
import { ServerClock } from "./server-clock.js";

const PING_EVERY_MS = 3_000;
const SYNC_CHECK_EVERY_MS = 2_000;
const JOIN_TIMEOUT_MS = 20_000;
const CONNECT_CONCURRENCY = 50;
/** A client that left comes back after a random pause in this range (ms). */
const RECONNECT_DELAY_MS = [1_000, 3_000] as const;
/** A broadcast or pong not there this long after its send is dropped. */
const SETTLE_AFTER_MS = 10_000;
const KEPT_DRIFT_RECORDS = 20;
/**
 * A pong's `playbackPosition` and the client's rendered position at the same server instant `t2`
 * are the same arithmetic on the same anchors: beyond float rounding they differ only when the
 * client missed or misread a timeline change.
 */
const AGREEMENT_MS = 1;

export interface FleetConfig {
  url: string;
  clients: number;
  rooms: number;
  commandGapMs: [number, number];
  churnPercentPerMinute: number;
  /** The shared queue's traffic: the server's SYNC_SECRET (for track grants) and each member's gap between queue changes. */
  queue: { grantSecret: string; gapMs: [number, number] };
}

interface RoomRun {
  code: string;
  clients: SoakClient[];
  hostUserId: string | null;
  seq: number;
  /** Receipt key → ledger key of the latest command with that key. */
  inFlight: Map<string, string>;
  lastCommand: { ledgerKey: string; senderId: number } | null;
}

const uniform = ([low, high]: readonly [number, number]) => low + Math.random() * (high - low);

export class Fleet {
  readonly commands = new DeliveryLedger();
  readonly pongs = new DeliveryLedger();
  /** Host command sent → each member's receipt, µs. */
  readonly latency = new Histogram();
  readonly clock = new ServerClock();
  readonly counters = newCounters();
  /** `error` frames received, by code. */
  readonly errors: Record<string, number> = {};
  /** Connections that ended without the benchmark ending them, by close code. */
  readonly unexpectedCloses: Record<string, number> = {};
  private readonly catchingUp = new Set<SoakClient>();
  readonly resyncRecords: DriftRecord[] = [];
  /** The first pong of each disagreement. */
  readonly divergenceRecords: DriftRecord[] = [];
  readonly invalidFrameReasons: string[] = [];
  private readonly rooms: RoomRun[];
  readonly queue: QueueTraffic;
  private readonly clients: SoakClient[] = [];
  private readonly roomOf = new Map<SoakClient, RoomRun>();
  /** Command, churn and settlement timers: they stop when the run drains. */
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Clients coming back after leaving: they run until the fleet closes, so every client ends joined. */
  private readonly reconnects = new Set<NodeJS.Timeout>();
  private sending = false;
  private closing = false;

  constructor(private readonly config: FleetConfig) {
    const handlers: ClientHandlers = {
      onFrame: (client, message) => this.onFrame(client, message),
      onInvalidFrame: (_client, reason) => {
        this.counters.invalidFrames++;
        if (this.invalidFrameReasons.length < 10) this.invalidFrameReasons.push(reason);
      },
      onClosed: (client, deliberate, code) => this.onClosed(client, deliberate, code),
    };
    this.rooms = Array.from({ length: config.rooms }, (_, index) => {
      const code = `SOAK${index.toString(36).toUpperCase().padStart(3, "0")}`;
      const size = Math.floor(config.clients / config.rooms) + (index < config.clients % config.rooms ? 1 : 0);
      const clients = Array.from({ length: size }, (_, member) => new SoakClient(this.clients.length + member, `soak-${code}-${member}`, code, config.url, handlers));
      this.clients.push(...clients);
      const room: RoomRun = { code, clients, hostUserId: null, seq: 0, inFlight: new Map(), lastCommand: null };
      for (const client of clients) this.roomOf.set(client, room);
      return room;
    });
    const members = new Map(this.rooms.map((room) => [room.code, room.clients] as const));
    const queue = { url: config.url, grantSecret: config.queue.grantSecret, gapMs: config.queue.gapMs, settleAfterMs: SETTLE_AFTER_MS };
    this.queue = new QueueTraffic(queue, members, (client) => this.roomOf.get(client)?.hostUserId === client.userId);
  }

  get joined(): number {
    return this.clients.reduce((sum, client) => sum + (client.state === "joined" ? 1 : 0), 0);
  }

  /** Connects every client, hosts first: with dev identity a room's first joiner hosts it. */
  async connectAll(): Promise<{ opened: number; failed: number; seconds: number }> {
    const started = performance.now();
    const join = (client: SoakClient) => client.connect(JOIN_TIMEOUT_MS);
    let failed = await pool(this.rooms.map((room) => room.clients[0]!), CONNECT_CONCURRENCY, join);
    failed += await pool(this.rooms.flatMap((room) => room.clients.slice(1)), CONNECT_CONCURRENCY, join);
    return { opened: this.clients.length - failed, failed, seconds: (performance.now() - started) / 1000 };
  }

  /** Hosts start issuing commands, churn starts, and overdue deliveries are settled each second. */
  start(): void {
    this.sending = true;
    this.queue.start();
    for (const room of this.rooms) this.later(Math.random() * 2_000, () => this.command(room));
    const churnPerMinute = (this.config.clients * this.config.churnPercentPerMinute) / 100;
    if (churnPerMinute > 0) this.repeat(60_000 / churnPerMinute, () => this.churn());
    this.repeat(1_000, () => {
      this.commands.settle(performance.now(), SETTLE_AFTER_MS);
      this.pongs.settle(performance.now(), SETTLE_AFTER_MS);
      this.queue.settle(performance.now());
    });
  }

  /** Stops sending, waits (bounded) for what is still due, and settles everything. */
  async drain(timeoutMs: number): Promise<void> {
    this.sending = false;
    this.queue.stop();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const deadline = performance.now() + timeoutMs;
    while ((this.commands.outstanding > 0 || this.pongs.outstanding > 0 || this.queue.outstanding > 0) && performance.now() < deadline) {
      await new Promise((done) => setTimeout(done, 100));
    }
    this.commands.settleAll();
    this.pongs.settleAll();
    this.queue.settleAll();
  }

  close(): void {
    this.closing = true;
    this.sending = false;
    for (const timer of [...this.timers, ...this.reconnects]) clearTimeout(timer);
    this.timers.clear();
    this.reconnects.clear();
    for (const client of this.clients) client.leave(true);
  }

  private later(delayMs: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, delayMs);
    this.timers.add(timer);
  }

  private repeat(periodMs: number, action: () => void): void {
    this.timers.add(setInterval(action, periodMs));
  }

  private command(room: RoomRun): void {
    if (!this.sending) return;
    this.later(uniform(this.config.commandGapMs), () => this.command(room));
    const host = room.clients.find((client) => client.userId === room.hostUserId && client.state === "joined");
    if (!host) {
      this.counters.commandsSkipped++;
      return;
    }
    const message = commandFor(room.code, room.seq);
    const key = receiptKey(message)!;
    const ledgerKey = `${room.code}#${room.seq} ${key}`;
    const members = room.clients.filter((client) => client.state === "joined").map((client) => client.id);
    this.commands.expect(ledgerKey, members, performance.now());
    room.inFlight.set(key, ledgerKey);
    room.lastCommand = { ledgerKey, senderId: host.id };
    room.seq++;
    host.send(message);
    this.counters.commandsSent++;
  }

  private churn(): void {
    const candidates = this.clients.filter((client) => client.state === "joined");
    const client = candidates[Math.floor(Math.random() * candidates.length)];
    if (!client) return;
    // Alternate a clean close with a dropped connection: the server handles both.
    const abrupt = this.counters.churnLeaves++ % 2 === 1;
    this.commands.excuse(client.id);
    this.pongs.excuse(client.id);
    this.queue.left(client);
    client.leave(abrupt);
  }

  private onClosed(client: SoakClient, deliberate: boolean, code: number): void {
    this.commands.excuse(client.id);
    this.pongs.excuse(client.id);
    this.queue.left(client);
    if (this.closing) return;
    if (!deliberate) this.unexpectedCloses[code] = (this.unexpectedCloses[code] ?? 0) + 1;
    const timer = setTimeout(() => {
      this.reconnects.delete(timer);
      void client.connect(JOIN_TIMEOUT_MS).then((ok) => ok && this.counters.rejoins++);
    }, uniform(RECONNECT_DELAY_MS));
    this.reconnects.add(timer);
  }

  private routine(client: SoakClient): void {
    client.every(PING_EVERY_MS, () => {
      if (!this.sending) return;
      const t0 = this.clock.localMs();
      if (!client.send({ type: "time_ping", t0 })) return;
      this.pongs.expect(`${client.id} ${t0}`, [client.id], performance.now());
      this.counters.pingsSent++;
    });
    client.every(SYNC_CHECK_EVERY_MS, () => {
      const serverNow = this.clock.serverMs();
      const state = stateAt(client.timeline, serverNow);
      // A browser renders nothing past a track's end (a queued track the room stopped after): no check then.
      if (!this.sending || state === null || state.ended) return;
      if (client.send({ type: "sync_check", clientPosMs: state.positionMs, clientTimeMs: serverNow })) this.counters.syncChecksSent++;
    });
  }

  private record(records: DriftRecord[], room: RoomRun, client: SoakClient, driftMs: number): void {
    if (records.length < KEPT_DRIFT_RECORDS) records.push({ room: room.code, client: client.id, driftMs, sinceJoinMs: performance.now() - client.joinedAtMs });
  }

  private onFrame(client: SoakClient, message: ServerMessage): void {
    this.counters.framesReceived++;
    if (isTimelineMessage(message)) client.timeline = applyTimelineMessage(client.timeline, message);
    if (this.queue.onFrame(client, message)) return;
    const own = this.roomOf.get(client)!;
    // Right after `joined`, PLAY_SYNC and a SEEK (or, for a track change, a PLAY) per command still
    // pending catch the joiner up: they repeat commands sent before it joined, not broadcasts it was
    // due. A catch-up PLAY carries the TRACK_CHANGE's track, so no in-flight PLAY has its key.
    const catchUpPlay = message.type === "PLAY" && !own.inFlight.has(receiptKey(message)!);
    const catchUp = message.type === "PLAY_SYNC" || message.type === "SEEK" || catchUpPlay;
    if (this.catchingUp.has(client) && catchUp) return;
    this.catchingUp.delete(client);
    switch (message.type) {
      case "joined":
        own.hostUserId = message.hostId;
        this.catchingUp.add(client);
        this.routine(client);
        break;
      case "host_changed":
        own.hostUserId = message.hostId;
        break;
      case "time_pong": {
        const t3 = this.clock.localMs();
        this.clock.observe(message.t0, message.t1, message.t2, t3);
        this.pongs.deliver(`${client.id} ${message.t0}`, client.id, performance.now());
        const rendered = positionAt(client.timeline, message.t2);
        const server = message.playbackPosition;
        const agrees = rendered === server || (rendered !== null && server !== null && Math.abs(rendered - server) <= AGREEMENT_MS);
        if (!agrees) this.counters.divergentPongs++;
        if (!agrees && !client.diverged) {
          this.counters.divergences++;
          this.record(this.divergenceRecords, own, client, rendered === null || server === null ? Number.NaN : rendered - server);
        }
        client.diverged = !agrees;
        break;
      }
      case "RESYNC":
        this.counters.resyncs++;
        this.record(this.resyncRecords, own, client, message.driftMs);
        break;
      case "error":
        this.errors[message.code] = (this.errors[message.code] ?? 0) + 1;
        break;
      case "command_refused":
        this.errors[message.code] = (this.errors[message.code] ?? 0) + 1;
        if (own.lastCommand?.senderId === client.id && this.commands.isWaiting(own.lastCommand.ledgerKey, client.id)) {
          this.commands.refuse(own.lastCommand.ledgerKey);
          this.counters.commandsRefused++;
        }
        break;
      case "command_accepted":
        break;
      default: {
        const key = receiptKey(message);
        if (key === null) break;
        const receipt = this.commands.deliver(own.inFlight.get(key) ?? `${own.code} ${key}`, client.id, performance.now());
        if (receipt.outcome === "delivered") this.latency.record(receipt.ageMs * 1000);
      }
    }
  }
}
