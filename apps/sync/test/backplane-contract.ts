/**
 * The backplane contract: one suite, run against the in-memory backplane (backplane.memory.test.ts)
 * and Redis (backplane.redis.test.ts). "Node" means one sync process's backplane; in memory there
 * is one process, so every node of a test is the same backplane. Rules, cited in test names:
 *
 * [BP1]  Once `subscribe` resolves, the listener gets every envelope of that room published from any
 *        node, the origin included, exactly once, with its frames and `exceptId` as published and a
 *        `sentAt`; no envelope of another room.
 * [BP2]  Envelopes one node publishes in call order arrive in that order at every subscriber.
 * [BP3]  `transact` applies the transition to the room's current state, stores its result with
 *        `version` one higher (whatever version the transition wrote), publishes it with the
 *        transition's messages as frames, and resolves with it; `load` then answers it.
 * [BP4]  Envelope states arrive at every subscriber in version order, with no version skipped or
 *        repeated, even when a listener commits from inside its callback.
 * [BP5]  Concurrent `transact` calls on one room from several nodes each apply exactly once, each to
 *        the state the one before it left (no lost update); versions are consecutive.
 * [BP6]  `transact` calls one node makes on one room apply in call order.
 * [BP7]  A transition that throws rejects the `transact` with its error and changes and publishes
 *        nothing; later transactions on the room are unaffected.
 * [BP8]  A transition that returns null changes and publishes nothing; `transact` resolves with the
 *        current state.
 * [BP9]  `join`, `leave` and `presence` answer the room's entries on every node, oldest join first.
 *        An entry's id is `<nodeId of the joining node>:<unique suffix>`; it leaves on that node.
 * [BP10] One user may be present several times (one entry per connection id); joining again with an
 *        id already present replaces that entry, which moves to the end.
 * [BP11] Leaving an id that is not present changes nothing and answers the others.
 * [BP12] `claimOnce(key, ttl)` is true once per key across all nodes until `ttl` ms have passed.
 * [BP13] After `unsubscribe` resolves its listener gets nothing more; other listeners of the node
 *        keep receiving.
 * [BP14] Restart: on a durable backplane a node's replacement sees the room's state and the other
 *        nodes' presence, not the closed node's entries. In memory they live as long as the
 *        process, a room's state until its last subscriber leaves while nobody is present.
 * [BP15] An open backplane is healthy.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Backplane, EMPTY_ROOM_STATE, type PresenceEntry, type RoomEnvelope, type SharedRoomState, type Transition } from "../src/backplane.js";
import { type BackplaneTarget, type Deployment, uniqueName } from "./backplanes.js";

/** Every envelope a listener got, in arrival order. */
function recorder() {
  const envelopes: RoomEnvelope[] = [];
  return {
    envelopes,
    listener: (envelope: RoomEnvelope) => void envelopes.push(envelope),
    frames: () => envelopes.flatMap((envelope) => envelope.frames),
    versions: () => envelopes.map((envelope) => envelope.state?.version),
  };
}

/** Redis delivers over pub/sub, a moment after the publishing call resolves. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let waitedMs = 0; !check(); waitedMs += 5) {
    if (waitedMs > 3_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Publishes a marker to a second room `node` follows: once it arrived, everything published before
 * it to `node`'s rooms has arrived too, so a test can assert that something did not.
 */
async function flush(node: Backplane, publisher: Backplane): Promise<void> {
  const room = uniqueName("FLUSH");
  const marker = recorder();
  const unsubscribe = await node.subscribe(room, marker.listener);
  await publisher.publish(room, { frames: ["flush"] });
  await until(() => marker.envelopes.length === 1, "the flush marker");
  await unsubscribe();
}

/** Appends `label` to a list kept in `hostUserId`: the list shows which transitions applied, in order. */
function append(label: string): Transition {
  return (state) => ({
    state: { ...state, hostUserId: state.hostUserId ? `${state.hostUserId},${label}` : label, version: -1 },
    messages: [{ type: "host_changed", hostId: label }],
  });
}

/** An entry joined on `node`: its id starts with the node's id ([BP9]). */
const entry = (node: Backplane, suffix: string, userId = suffix): PresenceEntry => ({
  id: `${node.nodeId}:${suffix}`,
  userId,
  name: `name of ${userId}`,
});

const labels = (state: SharedRoomState) => state.hostUserId?.split(",") ?? [];
const range = (count: number) => Array.from({ length: count }, (_, index) => index + 1);

/** Registers the contract's tests against `target`, each on a fresh deployment and room. */
export function backplaneContract(target: BackplaneTarget): void {
  let deployment: Deployment;
  let room: string;
  beforeEach(() => {
    deployment = target.deploy();
    room = uniqueName("R");
  });
  afterEach(() => deployment.close());
  const twoNodes = async () => [await deployment.node(), await deployment.node()] as const;

  describe("broadcasts", () => {
    it("[BP1] every subscriber on every node gets each envelope once, as published, and only its room's", async () => {
      const [a, b] = await twoNodes();
      const [onA, onB, elsewhere] = [recorder(), recorder(), recorder()];
      await a.subscribe(room, onA.listener);
      await b.subscribe(room, onB.listener);
      await a.subscribe(uniqueName("OTHER"), elsewhere.listener);
      await a.publish(room, { frames: ["one", "two"], exceptId: "x:1" });
      await until(() => onA.envelopes.length + onB.envelopes.length === 2, "both subscribers");
      await flush(a, b);
      await flush(b, a);
      for (const { envelopes } of [onA, onB]) {
        expect(envelopes).toEqual([{ frames: ["one", "two"], exceptId: "x:1", sentAt: expect.any(Number) }]);
      }
      expect(elsewhere.envelopes).toEqual([]);
    });

    it("[BP2] envelopes published in order from two nodes arrive in order at every subscriber", async () => {
      const [a, b] = await twoNodes();
      const subscribers = [recorder(), recorder(), recorder()];
      await a.subscribe(room, subscribers[0]!.listener);
      await a.subscribe(room, subscribers[1]!.listener);
      await b.subscribe(room, subscribers[2]!.listener);
      const count = 40;
      await Promise.all(
        range(count).flatMap((index) => [a.publish(room, { frames: [`a${index}`] }), b.publish(room, { frames: [`b${index}`] })]),
      );
      await until(() => subscribers.every(({ envelopes }) => envelopes.length === 2 * count), "every envelope");
      for (const subscriber of subscribers) {
        const frames = subscriber.frames();
        expect(frames.filter((frame) => frame.startsWith("a"))).toEqual(range(count).map((index) => `a${index}`));
        expect(frames.filter((frame) => frame.startsWith("b"))).toEqual(range(count).map((index) => `b${index}`));
      }
    });
  });

  describe("transactions", () => {
    it("[BP3] transact stores and publishes the next version and resolves with it", async () => {
      const [a, b] = await twoNodes();
      const onB = recorder();
      await b.subscribe(room, onB.listener);
      expect(await a.load(room)).toEqual(EMPTY_ROOM_STATE);
      const committed = await a.transact(room, append("first"));
      expect(committed).toEqual({ ...EMPTY_ROOM_STATE, version: 1, hostUserId: "first" });
      expect(await b.load(room)).toEqual(committed);
      await until(() => onB.envelopes.length === 1, "the commit's envelope");
      expect(onB.envelopes[0]).toEqual({
        state: committed,
        frames: [JSON.stringify({ type: "host_changed", hostId: "first" })],
        sentAt: expect.any(Number),
      });
    });

    it("[BP5][BP4] concurrent transactions from two nodes each apply once, in one version order everywhere", async () => {
      const [a, b] = await twoNodes();
      const subscribers = [recorder(), recorder()];
      await a.subscribe(room, subscribers[0]!.listener);
      await b.subscribe(room, subscribers[1]!.listener);
      const count = 60;
      const names = range(count).map(String);
      const results = await Promise.all(names.map((name, index) => (index % 2 ? a : b).transact(room, append(name))));
      expect(results.map((state) => state.version).sort((x, y) => x - y)).toEqual(range(count));
      const final = await a.load(room);
      expect(final.version).toBe(count);
      expect([...labels(final)].sort()).toEqual([...names].sort());
      // Each committed state is the one before it plus its own label: none was computed from a stale read.
      for (const state of results) expect(labels(state)).toEqual(labels(final).slice(0, state.version));
      await until(() => subscribers.every(({ envelopes }) => envelopes.length === count), "every commit");
      for (const subscriber of subscribers) expect(subscriber.versions()).toEqual(range(count));
    });

    it("[BP4] states arrive in version order even when a listener commits from its callback", async () => {
      const a = await deployment.node();
      const [committer, watcher] = [recorder(), recorder()];
      await a.subscribe(room, (envelope) => {
        committer.listener(envelope);
        if (envelope.state?.version === 1) void a.transact(room, append("from-callback"));
      });
      await a.subscribe(room, watcher.listener);
      await a.transact(room, append("first"));
      await until(() => watcher.envelopes.length === 2, "both commits");
      expect(watcher.versions()).toEqual([1, 2]);
      expect(committer.versions()).toEqual([1, 2]);
    });

    it("[BP6] transactions one node starts on one room apply in call order", async () => {
      const a = await deployment.node();
      const names = range(20).map(String);
      await Promise.all(names.map((name) => a.transact(room, append(name))));
      expect(labels(await a.load(room))).toEqual(names);
    });

    it("[BP7] a transition that throws changes and publishes nothing, and the room carries on", async () => {
      const [a, b] = await twoNodes();
      const onA = recorder();
      await a.subscribe(room, onA.listener);
      await b.transact(room, append("kept"));
      const refusal = new Error("refused");
      const outcomes = await Promise.allSettled([
        b.transact(room, () => {
          throw refusal;
        }),
        b.transact(room, append("after")),
      ]);
      expect(outcomes[0]).toEqual({ status: "rejected", reason: refusal });
      expect(await a.load(room)).toMatchObject({ version: 2, hostUserId: "kept,after" });
      await until(() => onA.envelopes.length === 2, "both commits");
      await flush(a, b);
      expect(onA.versions()).toEqual([1, 2]);
    });

    it("[BP8] a transition that returns null changes and publishes nothing", async () => {
      const [a, b] = await twoNodes();
      const onA = recorder();
      await a.subscribe(room, onA.listener);
      const committed = await b.transact(room, append("kept"));
      expect(await b.transact(room, () => null)).toEqual(committed);
      expect(await a.load(room)).toEqual(committed);
      await until(() => onA.envelopes.length === 1, "the first commit");
      await flush(a, b);
      expect(onA.versions()).toEqual([1]);
    });
  });

  describe("presence", () => {
    it("[BP9] join and leave answer the room's entries on every node, oldest first", async () => {
      const [a, b] = await twoNodes();
      const [first, second, third] = [entry(a, "1"), entry(b, "2"), entry(a, "3")];
      expect(await a.join(room, first)).toEqual([first]);
      expect(await b.join(room, second)).toEqual([first, second]);
      expect(await a.join(room, third)).toEqual([first, second, third]);
      expect(await b.presence(room)).toEqual([first, second, third]);
      expect(await a.presence(uniqueName("OTHER"))).toEqual([]);
      expect(await a.leave(room, first.id)).toEqual([second, third]);
      expect(await b.presence(room)).toEqual([second, third]);
      expect(await b.leave(room, second.id)).toEqual([third]);
      expect(await a.leave(room, third.id)).toEqual([]);
      expect(await b.presence(room)).toEqual([]);
    });

    it("[BP10] a user is listed once per connection; a repeated id replaces its entry and moves last", async () => {
      const a = await deployment.node();
      const [tab1, tab2, other] = [entry(a, "1", "u"), entry(a, "2", "u"), entry(a, "3", "v")];
      await a.join(room, tab1);
      await a.join(room, tab2);
      expect(await a.join(room, other)).toEqual([tab1, tab2, other]);
      const renamed = { ...tab1, name: "renamed" };
      expect(await a.join(room, renamed)).toEqual([tab2, other, renamed]);
      expect(await a.leave(room, tab1.id)).toEqual([tab2, other]);
    });

    it("[BP11] leaving an id that is not present changes nothing", async () => {
      const [a, b] = await twoNodes();
      const present = entry(a, "1");
      await a.join(room, present);
      expect(await a.leave(room, `${a.nodeId}:unknown`)).toEqual([present]);
      expect(await b.leave(room, `${b.nodeId}:unknown`)).toEqual([present]);
      expect(await a.leave(room, present.id)).toEqual([]);
      expect(await a.leave(room, present.id)).toEqual([]);
    });
  });

  describe("claims, subscriptions, restarts, health", () => {
    it("[BP12] a key is claimed once across nodes until its ttl has passed", async () => {
      const [a, b] = await twoNodes();
      // Long enough that the first four claims land within it on a loaded machine (a real Redis
      // keeps real time: at 50 ms the ttl once ran out between them).
      const TTL_MS = 1_000;
      const [key, other] = [uniqueName("claim-"), uniqueName("claim-")];
      expect(await a.claimOnce(key, TTL_MS)).toBe(true);
      expect(await b.claimOnce(key, TTL_MS)).toBe(false);
      expect(await a.claimOnce(key, TTL_MS)).toBe(false);
      expect(await b.claimOnce(other, TTL_MS)).toBe(true);
      await deployment.elapse(TTL_MS + 100);
      expect(await b.claimOnce(key, TTL_MS)).toBe(true);
      expect(await a.claimOnce(key, TTL_MS)).toBe(false);
    });

    it("[BP13] an unsubscribed listener gets nothing more; the node's other listener still does", async () => {
      const [a, b] = await twoNodes();
      const [leaving, staying] = [recorder(), recorder()];
      const unsubscribe = await a.subscribe(room, leaving.listener);
      const unsubscribeStaying = await a.subscribe(room, staying.listener);
      await b.publish(room, { frames: ["both"] });
      await until(() => leaving.envelopes.length === 1 && staying.envelopes.length === 1, "both listeners");
      await unsubscribe();
      await b.publish(room, { frames: ["staying only"] });
      await until(() => staying.envelopes.length === 2, "the staying listener");
      await unsubscribeStaying();
      await b.publish(room, { frames: ["nobody"] });
      await flush(a, b);
      expect(leaving.frames()).toEqual(["both"]);
      expect(staying.frames()).toEqual(["both", "staying only"]);
    });

    it.runIf(target.durable)("[BP14] a restarted node sees the room's state and live presence, not its own old entries", async () => {
      const [a, b] = await twoNodes();
      const committed = await a.transact(room, append("before restart"));
      const [mine, theirs] = [entry(a, "1"), entry(b, "2")];
      await a.join(room, mine);
      await b.join(room, theirs);
      const restarted = await deployment.restart(a);
      expect(await restarted.load(room)).toEqual(committed);
      expect(await restarted.presence(room)).toEqual([theirs]);
      const onRestarted = recorder();
      await restarted.subscribe(room, onRestarted.listener);
      expect((await b.transact(room, append("after restart"))).version).toBe(2);
      await until(() => onRestarted.envelopes.length === 1, "the commit after the restart");
    });

    it.runIf(!target.durable)("[BP14] in memory a restart forgets state and presence: they live as long as the process", async () => {
      const a = await deployment.node();
      await a.transact(room, append("before restart"));
      await a.join(room, entry(a, "1"));
      const restarted = await deployment.restart(a);
      expect(await restarted.load(room)).toEqual(EMPTY_ROOM_STATE);
      expect(await restarted.presence(room)).toEqual([]);
    });

    it("[BP15] an open backplane is healthy", async () => {
      const [a, b] = await twoNodes();
      expect([a.isHealthy(), b.isHealthy()]).toEqual([true, true]);
    });
  });
}
