import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import {
  type Backplane,
  EMPTY_ROOM_STATE,
  type PresenceEntry,
  type RoomEnvelope,
  type SharedRoomState,
  type Transition,
} from "./backplane.js";
import type { Clock } from "./clock.js";
import { ProtocolError } from "./errors.js";

/** A room nobody touched for a day is forgotten. */
const ROOM_TTL_SECONDS = 24 * 60 * 60;
/** A node that stops refreshing its liveness key for this long is considered gone. */
const NODE_TTL_MS = 10_000;
const NODE_REFRESH_MS = 3_000;
const MAX_TRANSACTION_ATTEMPTS = 20;

const keys = {
  state: (room: string) => `sb:room:${room}:state`,
  presence: (room: string) => `sb:room:${room}:presence`,
  channel: (room: string) => `sb:room:${room}`,
  node: (nodeId: string) => `sb:node:${nodeId}`,
  claim: (key: string) => `sb:claim:${key}`,
  sequence: "sb:presence-seq",
};

function nodeOf(entryId: string): string {
  return entryId.slice(0, entryId.lastIndexOf(":"));
}

/**
 * Rooms shared by every sync process on one Redis: state in a key updated with optimistic
 * transactions (WATCH/MULTI, so two hosts on two nodes never overwrite each other), broadcasts
 * over pub/sub (serialised once at the origin), presence in a sorted set ordered by join, with
 * entries of dead nodes (liveness key expired) pruned on read.
 */
export async function createRedisBackplane(url: string, clock: Clock, logger: Logger): Promise<Backplane> {
  const nodeId = randomUUID().slice(0, 8);
  const options = { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: true };
  const commands = new Redis(url, options);
  // WATCH state is per connection: transactions get their own, one at a time.
  const transactions = new Redis(url, { ...options, enableAutoPipelining: false });
  const subscriber = new Redis(url, options);
  await Promise.all([commands.connect(), transactions.connect(), subscriber.connect()]);

  const listeners = new Map<string, Set<(envelope: RoomEnvelope) => void>>();
  const ownEntries = new Map<string, { room: string; member: string }>();
  subscriber.on("message", (channel: string, payload: string) => {
    const room = channel.slice("sb:room:".length);
    let envelope: RoomEnvelope;
    try {
      envelope = JSON.parse(payload) as RoomEnvelope;
    } catch {
      logger.error({ room }, "undecodable backplane message");
      return;
    }
    for (const listener of listeners.get(room) ?? []) listener(envelope);
  });

  const refreshLiveness = () => commands.set(keys.node(nodeId), "1", "PX", NODE_TTL_MS);
  await refreshLiveness();
  const stopRefresh = clock.setInterval(() => {
    refreshLiveness().catch((error: unknown) => logger.warn({ err: error }, "node liveness refresh failed"));
  }, NODE_REFRESH_MS);

  let transactionQueue: Promise<unknown> = Promise.resolve();

  async function attempt(room: string, transition: Transition): Promise<SharedRoomState | "conflict"> {
    await transactions.watch(keys.state(room));
    const raw = await transactions.get(keys.state(room));
    const current = raw ? (JSON.parse(raw) as SharedRoomState) : EMPTY_ROOM_STATE;
    let result: ReturnType<Transition>;
    try {
      result = transition(current);
    } catch (error) {
      await transactions.unwatch();
      throw error;
    }
    if (!result) {
      await transactions.unwatch();
      return current;
    }
    const next: SharedRoomState = { ...result.state, version: current.version + 1 };
    const envelope: RoomEnvelope = {
      state: next,
      frames: result.messages.map((message) => JSON.stringify(message)),
      sentAt: clock.now(),
    };
    const outcome = await transactions
      .multi()
      .set(keys.state(room), JSON.stringify(next), "EX", ROOM_TTL_SECONDS)
      .publish(keys.channel(room), JSON.stringify(envelope))
      .exec();
    return outcome === null ? "conflict" : next;
  }

  async function transact(room: string, transition: Transition): Promise<SharedRoomState> {
    for (let tries = 0; tries < MAX_TRANSACTION_ATTEMPTS; tries++) {
      const outcome = await attempt(room, transition);
      if (outcome !== "conflict") return outcome;
    }
    throw new ProtocolError("INTERNAL", "room is too busy; try again");
  }

  async function livePresence(room: string): Promise<PresenceEntry[]> {
    const members = await commands.zrange(keys.presence(room), 0, -1);
    if (members.length === 0) return [];
    const entries = members.map((member) => ({ member, entry: JSON.parse(member) as PresenceEntry }));
    const nodes = [...new Set(entries.map(({ entry }) => nodeOf(entry.id)))];
    const alive = await commands.mget(...nodes.map(keys.node));
    const dead = new Set(nodes.filter((_, index) => alive[index] === null));
    const stale = entries.filter(({ entry }) => dead.has(nodeOf(entry.id))).map(({ member }) => member);
    if (stale.length > 0) await commands.zrem(keys.presence(room), ...stale);
    return entries.filter(({ entry }) => !dead.has(nodeOf(entry.id))).map(({ entry }) => entry);
  }

  return {
    nodeId,
    isHealthy: () => [commands, transactions, subscriber].every((connection) => connection.status === "ready"),
    async load(room) {
      const raw = await commands.get(keys.state(room));
      return raw ? (JSON.parse(raw) as SharedRoomState) : EMPTY_ROOM_STATE;
    },
    transact(room, transition) {
      const run = transactionQueue.then(() => transact(room, transition));
      transactionQueue = run.catch(() => undefined);
      return run;
    },
    async publish(room, envelope) {
      await commands.publish(keys.channel(room), JSON.stringify({ ...envelope, sentAt: clock.now() }));
    },
    async subscribe(room, listener) {
      let set = listeners.get(room);
      if (!set) {
        listeners.set(room, (set = new Set()));
        await subscriber.subscribe(keys.channel(room));
      }
      set.add(listener);
      return async () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(room) === set) {
          listeners.delete(room);
          await subscriber.unsubscribe(keys.channel(room));
        }
      };
    },
    async join(room, entry) {
      const member = JSON.stringify(entry);
      ownEntries.set(entry.id, { room, member });
      const sequence = await commands.incr(keys.sequence);
      await commands.zadd(keys.presence(room), sequence, member);
      await commands.expire(keys.presence(room), ROOM_TTL_SECONDS);
      return livePresence(room);
    },
    async leave(room, entryId) {
      const own = ownEntries.get(entryId);
      ownEntries.delete(entryId);
      if (own) await commands.zrem(keys.presence(room), own.member);
      return livePresence(room);
    },
    presence: livePresence,
    async claimOnce(key, ttlMs) {
      return (await commands.set(keys.claim(key), "1", "PX", Math.max(1, Math.ceil(ttlMs)), "NX")) === "OK";
    },
    async close() {
      stopRefresh();
      const pipeline = commands.pipeline();
      for (const { room, member } of ownEntries.values()) pipeline.zrem(keys.presence(room), member);
      pipeline.del(keys.node(nodeId));
      await pipeline.exec();
      ownEntries.clear();
      listeners.clear();
      await Promise.all([commands.quit(), transactions.quit(), subscriber.quit()]);
    },
  };
}
