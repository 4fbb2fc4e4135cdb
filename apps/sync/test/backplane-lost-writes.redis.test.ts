/**
 * [RC7] A store that lost writes (a Redis master killed before its replica had them) is put back
 * by the next commit of a node that adopted the newer state. The loss is made here by writing an
 * older state over the key, as the elected replica would hold it.
 */
import pino from "pino";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backplane, Transition } from "../src/backplane.js";
import { systemClock } from "../src/clock.js";
import { createRedisBackplane } from "../src/redis-backplane.js";
import { announceRedisSkip, TEST_REDIS_URL, uniqueName } from "./backplanes.js";

announceRedisSkip("backplane lost writes");

const host = (label: string): Transition => (state) => ({
  state: { ...state, hostUserId: state.hostUserId ? `${state.hostUserId},${label}` : label },
  messages: [],
});

describe.skipIf(!TEST_REDIS_URL)("[RC7] backplane after lost writes", () => {
  let backplane: Backplane;
  let raw: Redis;
  beforeAll(async () => {
    backplane = await createRedisBackplane(TEST_REDIS_URL!, systemClock, pino({ level: "silent" }));
    raw = new Redis(TEST_REDIS_URL!);
  });
  afterAll(async () => {
    await backplane?.close();
    raw?.disconnect();
  });

  async function roomWithLostWrite() {
    const room = uniqueName("LW");
    const first = await backplane.transact(room, host("a"));
    const known = await backplane.transact(room, host("b"));
    await raw.set(`sb:room:{${room}}:state`, JSON.stringify({ ...first, commitId: "replicated" }));
    return { room, first, known };
  }

  it("[RC7] a commit that knows a newer state than the store's starts from it and overwrites the store", async () => {
    const { room, known } = await roomWithLostWrite();
    const next = await backplane.transact(room, host("c"), known);
    expect(next).toMatchObject({ version: known.version + 1, hostUserId: "a,b,c" });
    expect(await backplane.load(room)).toEqual(next);
  });

  it("[RC7] without a newer known state the store's own state is the base (it owns the room)", async () => {
    const { room, first } = await roomWithLostWrite();
    expect(await backplane.transact(room, host("c"), first)).toMatchObject({ version: first.version + 1, hostUserId: "a,c" });
  });
});
