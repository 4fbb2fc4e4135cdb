/**
 * The soak's shared-queue traffic (issue 18): every member of a room adds, removes and moves
 * queue items every few seconds, the host starts the queue when nothing queued plays, and the
 * server advances through the short queued tracks at their ends. Accounted like the host's
 * commands: every queue command's result (`command_accepted` / `command_refused`) in one
 * ledger, every queue version to every member in another, and the order every member holds
 * checked by a {@link QueueAudit}.
 */
import type { ClientMessage, QueueBroadcast, ServerMessage } from "@sync-beats/protocol";
import { signTrackGrant } from "@sync-beats/ticket";
import { SoakClient } from "./client.js";
import { DeliveryLedger } from "./delivery-ledger.js";
import { chooseQueueAction, isQueuedTrackUrl, type QueueAction, queueTrack } from "./queue-actions.js";
import { type FinalQueueCheck, QueueAudit } from "./queue-audit.js";

export interface QueueTrafficConfig {
  url: string;
  /** The sync server's SYNC_SECRET: adds carry track grants signed with it, as the API signs them. */
  grantSecret: string;
  /** A member's next queue change comes after a gap in this range (ms), drawn at each join. */
  gapMs: readonly [number, number];
  /** A result or a queue version not there this long after it was due is dropped. */
  settleAfterMs: number;
}

export interface QueueCounters {
  sent: Record<QueueAction["type"], number>;
  accepted: number;
  refused: Record<string, number>;
  /** Turns where the member could do nothing (queue full of others' items). */
  idleTurns: number;
  /** Distinct queued tracks that started in some room (the server's advances and the host's "play now"). */
  trackStarts: number;
  /** Accepted "play now"s: each started one of {@link trackStarts}; the rest are the server's advances. */
  playNowAccepted: number;
}

type QueueFrame = Pick<QueueBroadcast, "version" | "items" | "nowPlaying">;

const EMPTY: QueueFrame = { version: 0, items: [], nowPlaying: null };
/** Queue versions of a room remembered for snapshot excuses (a join's snapshot is never this far behind). */
const KEPT_VERSIONS = 512;
/** How long the final check waits for members to reach the server's version. */
const FINAL_WAIT_MS = 5_000;
const JOIN_TIMEOUT_MS = 20_000;

const uniform = ([low, high]: readonly [number, number]) => low + Math.random() * (high - low);
const versionKey = (room: string, version: number) => `${room} queue v${version}`;

export class QueueTraffic {
  readonly results = new DeliveryLedger();
  readonly broadcasts = new DeliveryLedger();
  readonly audit = new QueueAudit();
  readonly counters: QueueCounters = { sent: { queue_add: 0, queue_remove: 0, queue_move: 0, queue_play_now: 0 }, accepted: 0, refused: {}, idleTurns: 0, trackStarts: 0, playNowAccepted: 0 };
  final: FinalQueueCheck & { rooms: number; unreachable: number } = { agree: 0, behind: 0, differ: 0, rooms: 0, unreachable: 0 };
  private readonly frames = new Map<SoakClient, QueueFrame>();
  /** Members between `joined` and `chat_history`: a queue frame then is the join's snapshot. */
  private readonly awaitingSnapshot = new Set<SoakClient>();
  /** A queued track's TRACK_CHANGE seen since the member's last queue frame. */
  private readonly pendingStart = new Map<SoakClient, string>();
  /** Per room, the queue versions registered in the broadcast ledger (registered once, at the first copy). */
  private readonly registered = new Map<string, Set<number>>();
  private readonly started = new Set<string>();
  private readonly playNowInFlight = new Set<string>();
  private seq = 0;
  private sending = false;

  constructor(
    private readonly config: QueueTrafficConfig,
    private readonly rooms: ReadonlyMap<string, readonly SoakClient[]>,
    private readonly isHost: (client: SoakClient) => boolean,
  ) {}

  /** Queued tracks the server started by itself at the end of the track before. */
  get advances(): number {
    return this.counters.trackStarts - this.counters.playNowAccepted;
  }

  get outstanding(): number {
    return this.results.outstanding + this.broadcasts.outstanding;
  }

  start(): void {
    this.sending = true;
  }

  stop(): void {
    this.sending = false;
  }

  settle(nowMs: number): void {
    this.results.settle(nowMs, this.config.settleAfterMs);
    this.broadcasts.settle(nowMs, this.config.settleAfterMs);
  }

  settleAll(): void {
    this.results.settleAll();
    this.broadcasts.settleAll();
  }

  /** The member's connection ended: nothing is due to it any more, and its next join starts afresh. */
  left(client: SoakClient): void {
    this.results.excuse(client.id);
    this.broadcasts.excuse(client.id);
    this.audit.forget(client.id);
    this.frames.delete(client);
    this.pendingStart.delete(client);
    this.awaitingSnapshot.delete(client);
  }

  /** Handles the queue's frames; false for the frames the fleet handles. */
  onFrame(client: SoakClient, message: ServerMessage): boolean {
    switch (message.type) {
      case "joined":
        this.left(client);
        this.awaitingSnapshot.add(client);
        client.every(uniform(this.config.gapMs), () => this.act(client));
        return false;
      case "chat_history":
        this.awaitingSnapshot.delete(client);
        return false;
      case "queue":
        this.onQueue(client, message);
        return true;
      case "TRACK_CHANGE":
        if (!isQueuedTrackUrl(message.trackData.audioUrl)) return false;
        this.pendingStart.set(client, message.trackData.audioUrl);
        if (!this.started.has(message.trackData.audioUrl)) {
          this.started.add(message.trackData.audioUrl);
          this.counters.trackStarts++;
        }
        return true;
      case "PLAY":
        // A joiner's catch-up for a queued track in force or pending: not a broadcast it was due.
        return isQueuedTrackUrl(message.audioUrl);
      case "command_accepted":
      case "command_refused":
        if (!message.id.startsWith("q-")) return false;
        if (this.results.deliver(message.id, client.id, performance.now()).outcome !== "delivered") return true;
        if (message.type === "command_accepted") {
          this.counters.accepted++;
          if (this.playNowInFlight.has(message.id)) this.counters.playNowAccepted++;
        }
        this.playNowInFlight.delete(message.id);
        if (message.type === "command_refused") this.counters.refused[message.code] = (this.counters.refused[message.code] ?? 0) + 1;
        return true;
      default:
        return false;
    }
  }

  /**
   * After the run: a fresh member joins each room, and its snapshot (the server's queue) is
   * compared with what every member holds once they reached that version.
   */
  async finalCheck(): Promise<void> {
    for (const [code, members] of this.rooms) {
      this.final.rooms++;
      let server: QueueFrame = EMPTY;
      let snapshotDone = () => undefined as void;
      const snapshot = new Promise<void>((done) => (snapshotDone = done));
      const auditor = new SoakClient(-1, `soak-${code}-auditor`, code, this.config.url, {
        onFrame: (_client, message) => {
          if (message.type === "queue") server = message;
          if (message.type === "chat_history") snapshotDone();
        },
        onInvalidFrame: () => undefined,
        onClosed: () => undefined,
      });
      if (!(await auditor.connect(JOIN_TIMEOUT_MS)) || !(await Promise.race([snapshot.then(() => true), sleep(JOIN_TIMEOUT_MS).then(() => false)]))) {
        this.final.unreachable++;
        auditor.leave(true);
        continue;
      }
      auditor.leave(false);
      const joined = () => members.filter((member) => member.state === "joined").map((member) => member.id);
      const deadline = performance.now() + FINAL_WAIT_MS;
      while (joined().some((id) => this.audit.versionOf(id) < server.version) && performance.now() < deadline) await sleep(100);
      const check = this.audit.finalCheck(code, server, joined());
      this.final.agree += check.agree;
      this.final.behind += check.behind;
      this.final.differ += check.differ;
    }
  }

  private act(client: SoakClient): void {
    if (!this.sending) return;
    const action = chooseQueueAction({ queue: this.frames.get(client) ?? EMPTY, userId: client.userId, isHost: this.isHost(client) }, Math.random);
    if (!action) {
      this.counters.idleTurns++;
      return;
    }
    const seq = this.seq++;
    const id = `q-${client.roomCode}-${seq}`;
    const message: ClientMessage =
      action.type === "queue_add" ? { type: "queue_add", id, trackGrant: signTrackGrant(queueTrack(client.roomCode, seq, Math.random), this.config.grantSecret) } : { ...action, id };
    this.results.expect(id, [client.id], performance.now());
    if (!client.send(message)) {
      this.results.excuse(client.id);
      return;
    }
    this.counters.sent[action.type]++;
    if (action.type === "queue_play_now") this.playNowInFlight.add(id);
  }

  private onQueue(client: SoakClient, frame: QueueBroadcast): void {
    const room = client.roomCode;
    const snapshot = this.awaitingSnapshot.has(client);
    const applied = this.audit.observe(room, client.id, frame, snapshot, this.pendingStart.get(client) ?? null);
    this.pendingStart.delete(client);
    const key = versionKey(room, frame.version);
    const versions = this.registered.get(room) ?? new Set<number>();
    this.registered.set(room, versions);
    if (!applied) {
      // A held copy of a version the join's snapshot already gave: counted by the audit, due to nobody.
      if (this.broadcasts.isWaiting(key, client.id)) this.broadcasts.deliver(key, client.id, performance.now());
      return;
    }
    this.frames.set(client, frame);
    if (snapshot) {
      // The snapshot stands for every version up to its own: those copies are no longer due.
      for (const version of versions) if (version <= frame.version) this.broadcasts.excuseOne(versionKey(room, version), client.id);
      return;
    }
    if (!versions.has(frame.version)) {
      versions.add(frame.version);
      if (versions.size > KEPT_VERSIONS) versions.delete(versions.values().next().value!);
      // Due at every member joined now, except one whose join snapshot was already past this version.
      const members = (this.rooms.get(room) ?? []).filter((member) => member === client || (member.state === "joined" && this.audit.versionOf(member.id) < frame.version)).map((member) => member.id);
      this.broadcasts.expect(key, members, performance.now());
    }
    this.broadcasts.deliver(key, client.id, performance.now());
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
