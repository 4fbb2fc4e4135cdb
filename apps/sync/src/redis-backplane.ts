import { randomUUID } from "node:crypto";
import { EMPTY_TIMELINE } from "@sync-beats/timeline";
import type { Redis } from "ioredis";
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
import { createChannelSubscriber } from "./redis-channel-subscriber.js";
import { describeTarget, hasShardedPubSub, isCluster, type RedisClient, redisClient, type RedisTarget } from "./redis-connection.js";

/** A room nobody touched for a day is forgotten. */
const ROOM_TTL_SECONDS = 24 * 60 * 60;
/** A node that stops refreshing its liveness key for this long is considered gone. */
const NODE_TTL_MS = 10_000;
const NODE_REFRESH_MS = 3_000;
const MAX_TRANSACTION_ATTEMPTS = 20;
/** Conflicts retried at once before retries wait a random moment (see `transact`). */
const CONFLICTS_BEFORE_BACKOFF = 3;

/**
 * A stored state without its commit id (which only the commit script reads); fields a state
 * written by an older build lacks take their empty values.
 */
function parseState(raw: string | null | undefined): SharedRoomState {
  if (!raw) return EMPTY_ROOM_STATE;
  const { commitId: _commitId, timeline, ...state } = JSON.parse(raw) as Partial<SharedRoomState> & { commitId?: string };
  // States written before the shared timeline package (null, or `{ track, segments }`) held no
  // anchors: such a room keeps its host and members but plays nothing until the next PLAY.
  return { ...EMPTY_ROOM_STATE, ...state, timeline: Array.isArray(timeline?.anchors) ? timeline : EMPTY_TIMELINE };
}

/**
 * A room's keys and channel share the hash tag `{CODE}`, so on a Redis Cluster they live in one
 * hash slot (one shard) and the commit script may publish to the channel [RC1].
 */
const keys = {
  state: (room: string) => `sb:room:{${room}}:state`,
  presence: (room: string) => `sb:room:{${room}}:presence`,
  channel: (room: string) => `sb:room:{${room}}`,
  node: (nodeId: string) => `sb:node:${nodeId}`,
  claim: (key: string) => `sb:claim:${key}`,
  sequence: "sb:presence-seq",
};

const CHANNEL = /^sb:room:\{(.*)\}$/;

function nodeOf(entryId: string): string {
  return entryId.slice(0, entryId.lastIndexOf(":"));
}

/**
 * Sets a room's state and publishes its envelope only if the stored version is still the one the
 * transition was computed from: a compare-and-set in one script, so commits need no WATCH
 * connection of their own and pipeline with everything else. Returns [1], or on a conflict
 * [0, the state as stored now ("" when none)] so the retry needs no extra read. The stored state
 * carries its commit's id: a commit resent after a lost reply (ioredis resends on reconnect)
 * finds itself already applied and answers [1] instead of being applied twice.
 * The channel is an argument, not a key: a pub/sub channel declared as a key is `CROSSSLOT` on a
 * Redis Cluster; it shares the state key's hash slot, so publishing from the script is local
 * [RC1]. ARGV[7] is `PUBLISH`, or `SPUBLISH` (sharded pub/sub) on a cluster that has it [RC2].
 */
const COMMIT_ROOM_STATE = `
local raw = redis.call("GET", KEYS[1])
local version = 0
if raw then
  local stored = cjson.decode(raw)
  if stored.commitId == ARGV[5] then return {1} end
  version = stored.version
end
if version ~= tonumber(ARGV[1]) then return {0, raw or ""} end
redis.call("SET", KEYS[1], ARGV[2], "EX", ARGV[4])
if ARGV[7] == "SPUBLISH" then redis.call("SPUBLISH", ARGV[6], ARGV[3]) else redis.call("PUBLISH", ARGV[6], ARGV[3]) end
return {1}
`;

export type PublishCommand = "PUBLISH" | "SPUBLISH";

type RoomCommitRedis<Client extends RedisClient> = Client & {
  commitRoomState(
    stateKey: string,
    expectedVersion: number,
    state: string,
    envelope: string,
    ttlSeconds: number,
    commitId: string,
    channel: string,
    publish: PublishCommand,
  ): Promise<[1] | [0, string]>;
};

/** Registers the commit script (EVALSHA, falling back to EVAL once per connection). */
export function withRoomCommit<Client extends RedisClient = Redis>(redis: Client): RoomCommitRedis<Client> {
  redis.defineCommand("commitRoomState", { numberOfKeys: 1, lua: COMMIT_ROOM_STATE });
  return redis as RoomCommitRedis<Client>;
}

/**
 * Rooms shared by every sync process on one Redis: state in a key updated by a version-checked
 * script (so two hosts on two nodes never overwrite each other), broadcasts
 * over pub/sub (serialised once at the origin), presence in a sorted set ordered by join, with
 * entries of dead nodes (liveness key expired) pruned on read. `target` is one Redis (a URL) or
 * a Redis Cluster (`{ cluster: seeds }`): every command touches one key, or one room's keys.
 */
export async function createRedisBackplane(target: RedisTarget, clock: Clock, logger: Logger): Promise<Backplane> {
  const nodeId = randomUUID().slice(0, 8);
  const commands = withRoomCommit(redisClient(target));
  await commands.connect();
  // Plain pub/sub on a cluster sends every message to every node; sharded only to the room's shard.
  const sharded = isCluster(target) && (await hasShardedPubSub(commands));
  const publishCommand: PublishCommand = sharded ? "SPUBLISH" : "PUBLISH";
  /** Each room's listeners on this node: its envelopes, and (optional) the news of a gap [RC8]. */
  const listeners = new Map<string, Set<{ deliver: (envelope: RoomEnvelope) => void; onGap?: () => void }>>();
  const subscriber = await createChannelSubscriber(
    target,
    sharded,
    (channel, payload) => {
      const room = CHANNEL.exec(channel)?.[1];
      if (room === undefined) return;
      let envelope: RoomEnvelope;
      try {
        envelope = JSON.parse(payload) as RoomEnvelope;
      } catch {
        logger.error({ room }, "undecodable backplane message");
        return;
      }
      for (const listener of listeners.get(room) ?? []) listener.deliver(envelope);
    },
    () => {
      for (const room of listeners.values()) for (const listener of room) listener.onGap?.();
    },
    clock,
    logger,
  );
  logger.info({ redis: describeTarget(target), pubsub: sharded ? "sharded" : "plain" }, "redis backplane");

  /** This node's presence members, by room and entry id: `leave` and `close` remove exactly these. */
  const ownEntries = new Map<string, { room: string; member: string }>();
  const ownKey = (room: string, entryId: string) => JSON.stringify([room, entryId]);
  const refreshLiveness = () => commands.set(keys.node(nodeId), "1", "PX", NODE_TTL_MS);
  await refreshLiveness();
  const stopRefresh = clock.setInterval(() => {
    refreshLiveness().catch((error: unknown) => logger.warn({ err: error }, "node liveness refresh failed"));
  }, NODE_REFRESH_MS);

  // Per room, commits from this node run one after another (they would only conflict with each
  // other); rooms commit in parallel, all over the one auto-pipelined connection.
  const roomQueues = new Map<string, Promise<unknown>>();

  /**
   * Commits `transition` from `base` if the store still holds version `storedVersion` (the base's
   * own, unless the store lost writes: see `transact`); on a conflict, returns the state that beat it.
   */
  async function attempt(
    room: string,
    base: SharedRoomState,
    storedVersion: number,
    transition: Transition,
    commitId: string,
  ): Promise<{ committed: SharedRoomState } | { conflict: SharedRoomState }> {
    const result = transition(base);
    if (!result) return { committed: base };
    const next: SharedRoomState = { ...result.state, version: base.version + 1 };
    const envelope: RoomEnvelope = {
      state: next,
      frames: result.messages.map((message) => JSON.stringify(message)),
      sentAt: clock.now(),
    };
    const [committed, stored] = await commands.commitRoomState(
      keys.state(room),
      storedVersion,
      JSON.stringify({ ...next, commitId }),
      JSON.stringify(envelope),
      ROOM_TTL_SECONDS,
      commitId,
      keys.channel(room),
      publishCommand,
    );
    return committed === 1 ? { committed: next } : { conflict: parseState(stored) };
  }

  async function transact(room: string, transition: Transition, known?: SharedRoomState): Promise<SharedRoomState> {
    let current = await loadState(room);
    const commitId = randomUUID();
    for (let tries = 0; tries < MAX_TRANSACTION_ATTEMPTS; tries++) {
      // A store behind the state this node adopted lost writes (a master killed before its replica
      // had them): the commit starts from what the node knows and overwrites the store's [RC7].
      const base = known && known.version > current.version ? known : current;
      const outcome = await attempt(room, base, current.version, transition, commitId);
      if ("committed" in outcome) return outcome.committed;
      current = outcome.conflict;
      // Retrying at once from the winner's state wins almost always; against a node committing
      // to this room back to back, a random pause breaks the lockstep.
      if (tries >= CONFLICTS_BEFORE_BACKOFF) {
        await new Promise<void>((resolve) => clock.setTimeout(resolve, Math.random() * Math.min(50, 2 ** tries)));
        current = await loadState(room);
      }
    }
    throw new ProtocolError("INTERNAL", "room is too busy; try again");
  }

  async function loadState(room: string): Promise<SharedRoomState> {
    return parseState(await commands.get(keys.state(room)));
  }

  async function livePresence(room: string): Promise<PresenceEntry[]> {
    const members = await commands.zrange(keys.presence(room), 0, -1);
    if (members.length === 0) return [];
    const entries = members.map((member) => ({ member, entry: JSON.parse(member) as PresenceEntry }));
    const nodes = [...new Set(entries.map(({ entry }) => nodeOf(entry.id)))];
    // One GET per node, not MGET: on a cluster the nodes' keys lie in different slots.
    const alive = await Promise.all(nodes.map((node) => commands.get(keys.node(node))));
    const dead = new Set(nodes.filter((_, index) => alive[index] === null));
    const stale = entries.filter(({ entry }) => dead.has(nodeOf(entry.id))).map(({ member }) => member);
    if (stale.length > 0) await commands.zrem(keys.presence(room), ...stale);
    return entries.filter(({ entry }) => !dead.has(nodeOf(entry.id))).map(({ entry }) => entry);
  }

  return {
    nodeId,
    isHealthy: () => commands.status === "ready" && subscriber.isHealthy(),
    load: loadState,
    transact(room, transition, known) {
      const run = (roomQueues.get(room) ?? Promise.resolve()).then(() => transact(room, transition, known));
      const settled = run.catch(() => undefined);
      roomQueues.set(room, settled);
      void settled.then(() => {
        if (roomQueues.get(room) === settled) roomQueues.delete(room);
      });
      return run;
    },
    async publish(room, envelope) {
      const payload = JSON.stringify({ ...envelope, sentAt: clock.now() });
      await (sharded ? commands.spublish(keys.channel(room), payload) : commands.publish(keys.channel(room), payload));
    },
    async subscribe(room, deliver, onGap) {
      let set = listeners.get(room);
      if (!set) {
        listeners.set(room, (set = new Set()));
        await subscriber.subscribe(keys.channel(room));
      }
      const listener = { deliver, onGap };
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
      // A repeated id replaces its entry: the old member (another name, say) must not stay behind.
      const previous = ownEntries.get(ownKey(room, entry.id));
      ownEntries.set(ownKey(room, entry.id), { room, member });
      if (previous) await commands.zrem(keys.presence(room), previous.member);
      const sequence = await commands.incr(keys.sequence);
      await commands.zadd(keys.presence(room), sequence, member);
      await commands.expire(keys.presence(room), ROOM_TTL_SECONDS);
      return livePresence(room);
    },
    async leave(room, entryId) {
      const own = ownEntries.get(ownKey(room, entryId));
      ownEntries.delete(ownKey(room, entryId));
      if (own) await commands.zrem(keys.presence(room), own.member);
      return livePresence(room);
    },
    presence: livePresence,
    async claimOnce(key, ttlMs) {
      return (await commands.set(keys.claim(key), "1", "PX", Math.max(1, Math.ceil(ttlMs)), "NX")) === "OK";
    },
    async close() {
      stopRefresh();
      // Separate commands (auto-pipelined per shard): a cluster refuses a pipeline across slots.
      await Promise.all([...[...ownEntries.values()].map(({ room, member }) => commands.zrem(keys.presence(room), member)), commands.del(keys.node(nodeId))]);
      ownEntries.clear();
      listeners.clear();
      await Promise.all([commands.quit(), subscriber.close()]);
    },
  };
}
