/**
 * Drop accounting: every frame the benchmark expects (a command's broadcast to each member of the
 * room, a `time_pong` per `time_ping`) is registered with its recipients; each receipt ticks one
 * off. What is still missing when an item is settled was dropped, unless its recipient left on
 * purpose in the meantime (churn), which excuses it.
 */

export interface DeliveryCounts {
  /** Recipient × item pairs registered. */
  expected: number;
  delivered: number;
  /** Still missing when the item was settled, with the recipient connected throughout. */
  dropped: number;
  /** The recipient disconnected before its copy came. */
  excused: number;
  /** The sender was refused (an `error` frame): no copy was due. */
  refused: number;
  /** A second copy of an item to one recipient. */
  duplicates: number;
  /** A copy nobody was waiting for: the recipient joined after the send, or it came after settlement. */
  unexpected: number;
}

export type Receipt = { outcome: "delivered"; ageMs: number } | { outcome: "duplicate" | "unexpected" };

/** A dropped item as the report shows it, for finding the cause. */
export interface DropRecord {
  key: string;
  sentAtMs: number;
  missing: number[];
}

interface OpenItem {
  sentAtMs: number;
  waiting: Set<number>;
  received: Set<number>;
}

const KEPT_DROP_RECORDS = 20;

export class DeliveryLedger {
  readonly counts: DeliveryCounts = { expected: 0, delivered: 0, dropped: 0, excused: 0, refused: 0, duplicates: 0, unexpected: 0 };
  /** The first few drops, in full. */
  readonly drops: DropRecord[] = [];
  private readonly open = new Map<string, OpenItem>();

  /** Items not yet settled. */
  get outstanding(): number {
    return this.open.size;
  }

  /** Registers `key` as due at every recipient; a key already open is settled first. */
  expect(key: string, recipients: Iterable<number>, sentAtMs: number): void {
    if (this.open.has(key)) this.close(key);
    const waiting = new Set(recipients);
    this.counts.expected += waiting.size;
    this.open.set(key, { sentAtMs, waiting, received: new Set() });
    if (waiting.size === 0) this.open.delete(key);
  }

  /** One recipient got `key` at `nowMs`. */
  deliver(key: string, recipient: number, nowMs: number): Receipt {
    const item = this.open.get(key);
    if (item?.waiting.delete(recipient)) {
      item.received.add(recipient);
      this.counts.delivered++;
      if (item.waiting.size === 0) this.open.delete(key);
      return { outcome: "delivered", ageMs: nowMs - item.sentAtMs };
    }
    if (item?.received.has(recipient)) {
      this.counts.duplicates++;
      return { outcome: "duplicate" };
    }
    this.counts.unexpected++;
    return { outcome: "unexpected" };
  }

  /** The recipient disconnected: nothing still due to it counts as dropped. */
  excuse(recipient: number): void {
    for (const [key, item] of this.open) {
      if (!item.waiting.delete(recipient)) continue;
      this.counts.excused++;
      if (item.waiting.size === 0) this.open.delete(key);
    }
  }

  /** `recipient` will not get `key` for a reason the benchmark knows (it caught up from a snapshot instead). */
  excuseOne(key: string, recipient: number): void {
    const item = this.open.get(key);
    if (!item?.waiting.delete(recipient)) return;
    this.counts.excused++;
    if (item.waiting.size === 0) this.open.delete(key);
  }

  /** The sender was refused: the copies still due are not drops. */
  refuse(key: string): void {
    const item = this.open.get(key);
    if (!item) return;
    this.counts.refused += item.waiting.size;
    this.open.delete(key);
  }

  /** Whether `recipient` still waits for `key`. */
  isWaiting(key: string, recipient: number): boolean {
    return this.open.get(key)?.waiting.has(recipient) ?? false;
  }

  /** Settles every item sent at or before `nowMs - maxAgeMs`; returns how many copies were dropped. */
  settle(nowMs: number, maxAgeMs: number): number {
    let dropped = 0;
    for (const [key, item] of this.open) if (nowMs - item.sentAtMs >= maxAgeMs) dropped += this.close(key);
    return dropped;
  }

  /** Settles everything still open (the end of the run). */
  settleAll(): number {
    let dropped = 0;
    for (const key of [...this.open.keys()]) dropped += this.close(key);
    return dropped;
  }

  private close(key: string): number {
    const item = this.open.get(key)!;
    this.open.delete(key);
    const missing = item.waiting.size;
    this.counts.dropped += missing;
    if (missing > 0 && this.drops.length < KEPT_DROP_RECORDS) this.drops.push({ key, sentAtMs: item.sentAtMs, missing: [...item.waiting] });
    return missing;
  }
}
