import { describe, expect, it } from "vitest";
import { createHarness } from "../test/harness.js";
import { grantFor, libraryTrack, resolveTestTrack } from "../test/queue-tracks.js";
import { adoptFacts } from "./room-transitions.js";

const first = { audioUrl: "/api/tracks/first/audio", duration: 10_000, trackId: "first" };

async function room() {
  const harness = createHarness({ resolveTrack: resolveTestTrack });
  const host = await harness.joinAs("hana");
  const ann = await harness.joinAs("ann");
  const add = (client: typeof host, trackId: string, id = `add-${trackId}`) =>
    client.send({ type: "queue_add", id, trackGrant: grantFor(libraryTrack(trackId), harness.clock.wallNow()) });
  return { ...harness, host, ann, add };
}

describe("shared queue in a live room", () => {
  it("[Q1][Q2] an add is accepted, everyone sees the whole queue with who added it, and a joiner gets it", async () => {
    const { host, ann, add, joinAs } = await room();
    await add(ann, "a");
    expect(ann.socket.last("command_accepted")).toMatchObject({ id: "add-a" });
    for (const client of [host, ann]) {
      expect(client.socket.last("queue")).toMatchObject({ version: 1, items: [{ track: libraryTrack("a"), addedBy: { userId: "ann", name: "ann" } }] });
    }
    const late = await joinAs("carl");
    expect(late.socket.received.map((m) => m.type)).toContain("queue");
    expect(late.socket.last("queue")).toEqual(host.socket.last("queue"));
  });

  it("[Q2] a forged or missing grant is refused UNKNOWN_TRACK and changes nothing", async () => {
    const { ann, host } = await room();
    const grant = grantFor(libraryTrack("a"), Date.now());
    await ann.send({ type: "queue_add", id: "forged", trackGrant: `${grant.split(".")[0]}.AAAA` });
    expect(ann.socket.last("command_refused")).toMatchObject({ id: "forged", code: "UNKNOWN_TRACK" });
    await ann.send({ type: "queue_add", id: "bad" });
    expect(ann.socket.last("command_refused")).toMatchObject({ id: "bad", code: "INVALID_MESSAGE" });
    expect(host.socket.ofType("queue")).toHaveLength(0);
  });

  it("[Q3] with the owner's policy 'host', a listener's add is NOT_ALLOWED and the host's goes through", async () => {
    const { ann, host, add, backplane } = await room();
    await backplane.transact("ROOM42", adoptFacts({ name: "Den", ownerId: null, listenersCanControl: false, queueAddPolicy: "host", version: 2 }));
    await add(ann, "a");
    expect(ann.socket.last("command_refused")).toMatchObject({ code: "NOT_ALLOWED" });
    await add(host, "b");
    expect(host.socket.last("queue").items.map((i) => i.track.trackId)).toEqual(["b"]);
  });

  it("[Q5][Q6][Q7] remove: own items or the host; stale moves are refused; play next is the host's", async () => {
    const { ann, host, add } = await room();
    await add(host, "a");
    await add(ann, "b");
    const [a, b] = host.socket.last("queue").items;
    await ann.send({ type: "queue_remove", id: "rm-a", itemId: a!.id });
    expect(ann.socket.last("command_refused")).toMatchObject({ id: "rm-a", code: "NOT_ALLOWED" });
    await ann.send({ type: "queue_move", id: "mv", itemId: b!.id, fromIndex: 0, toIndex: 0 });
    expect(ann.socket.last("command_refused")).toMatchObject({ id: "mv", code: "STALE_QUEUE" });
    await ann.send({ type: "queue_play_next", id: "next", itemId: b!.id });
    expect(ann.socket.last("command_refused")).toMatchObject({ id: "next", code: "NOT_ALLOWED" });
    await host.send({ type: "queue_play_next", id: "next", itemId: b!.id });
    expect(ann.socket.last("queue").items.map((i) => i.id)).toEqual([b!.id, a!.id]);
    await ann.send({ type: "queue_remove", id: "rm-b", itemId: b!.id });
    expect(ann.socket.last("command_accepted")).toMatchObject({ id: "rm-b" });
    expect(host.socket.last("queue").items.map((i) => i.id)).toEqual([a!.id]);
  });

  it("[Q12] a flood of adds is refused RATE_LIMITED as command refusals; the connection lives on", async () => {
    const { ann, add } = await room();
    for (let index = 0; index < 30; index++) await add(ann, `t${index}`, `flood-${index}`);
    const refused = ann.socket.ofType("command_refused");
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((r) => r.code === "RATE_LIMITED")).toBe(true);
    expect(ann.socket.last("queue").items.length).toBe(30 - refused.length);
    expect(ann.socket.closed).toBeNull();
  });

  it("[Q8][Q10] with the host's page closed, the room advances at the end instant by itself, then stops and says so", async () => {
    const { clock, ann, host, add, advance } = await room();
    await host.send({ type: "PLAY", id: "play", ...first });
    const endMs = host.socket.last("PLAY").startServerMs + first.duration;
    await add(ann, "a");
    await host.close();
    await advance(endMs - 3_000 - clock.now() - 1);
    expect(ann.socket.ofType("TRACK_CHANGE")).toHaveLength(0);
    await advance(1);
    expect(ann.socket.last("TRACK_CHANGE")).toEqual({ type: "TRACK_CHANGE", trackData: libraryTrack("a"), startServerMs: endMs });
    expect(ann.socket.last("queue")).toMatchObject({ items: [], nowPlaying: { track: libraryTrack("a"), addedBy: { userId: "ann" }, startServerMs: endMs } });
    const secondEnd = endMs + libraryTrack("a").duration;
    await advance(secondEnd - clock.now() - 1);
    expect(ann.socket.last("queue").endedAtServerMs).toBeNull();
    await advance(1);
    expect(ann.socket.last("queue")).toMatchObject({ items: [], nowPlaying: null, endedAtServerMs: secondEnd });
    expect(ann.socket.ofType("TRACK_CHANGE")).toHaveLength(1);
  });

  it("[Q7] play now starts the item at the next lead and takes it out of the queue", async () => {
    const { ann, host, add, clock } = await room();
    await add(ann, "a");
    await add(ann, "b");
    const b = host.socket.last("queue").items[1]!;
    const sentAt = clock.now();
    await host.send({ type: "queue_play_now", id: "now", itemId: b.id });
    expect(host.socket.last("command_accepted")).toEqual({ type: "command_accepted", id: "now", atServerMs: sentAt + 200 });
    expect(ann.socket.last("TRACK_CHANGE")).toMatchObject({ trackData: libraryTrack("b"), startServerMs: sentAt + 200 });
    expect(ann.socket.last("queue")).toMatchObject({ items: [{ track: libraryTrack("a") }], nowPlaying: { id: b.id } });
  });
});
