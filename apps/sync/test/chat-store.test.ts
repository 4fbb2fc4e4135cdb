import { CHAT_HISTORY_LIMIT, type ChatMessage } from "@sync-beats/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { type ChatStore, createMemoryChatStore } from "../src/chat-store.js";
import { createRedisChatStore } from "../src/redis-chat-store.js";
import { announceRedisSkip, TEST_REDIS_URL, uniqueName } from "./backplanes.js";

announceRedisSkip("chat store on Redis");

const message = (n: number): ChatMessage => ({ messageId: `m${n}`, from: { userId: "bob", name: "Bob" }, text: `text ${n}`, atServerMs: 1_000 + n });

/** One contract for both stores: what the room relies on, whichever holds the history. */
function chatStoreContract(name: string, open: () => Promise<ChatStore>, enabled = true) {
  describe.skipIf(!enabled)(`chat store contract: ${name}`, () => {
    const opened: ChatStore[] = [];
    const store = async () => {
      const created = await open();
      opened.push(created);
      return created;
    };
    afterEach(async () => void (await Promise.all(opened.splice(0).map((s) => s.close()))));

    it("[CH4] keeps messages in append order, per room", async () => {
      const chat = await store();
      const [a, b] = [uniqueName("CHA"), uniqueName("CHB")];
      await chat.append(a, message(1));
      await chat.append(b, message(2));
      await chat.append(a, message(3));
      expect(await chat.history(a)).toEqual([message(1), message(3)]);
      expect(await chat.history(b)).toEqual([message(2)]);
      expect(await chat.history(uniqueName("CHC"))).toEqual([]);
    });

    it("[CH4] keeps only the newest 100", async () => {
      const chat = await store();
      const room = uniqueName("CHCAP");
      for (let n = 0; n < CHAT_HISTORY_LIMIT + 7; n++) await chat.append(room, message(n));
      const kept = await chat.history(room);
      expect(kept).toHaveLength(CHAT_HISTORY_LIMIT);
      expect(kept[0]).toEqual(message(7));
      expect(kept.at(-1)).toEqual(message(CHAT_HISTORY_LIMIT + 6));
    });

    it("[CH6] removes one message by id, once", async () => {
      const chat = await store();
      const room = uniqueName("CHRM");
      for (let n = 0; n < 3; n++) await chat.append(room, message(n));
      expect(await chat.remove(room, "m1")).toBe(true);
      expect(await chat.remove(room, "m1")).toBe(false);
      expect(await chat.remove(room, "nope")).toBe(false);
      expect(await chat.history(room)).toEqual([message(0), message(2)]);
    });
  });
}

chatStoreContract("memory", async () => createMemoryChatStore());
chatStoreContract("redis", () => createRedisChatStore(TEST_REDIS_URL!), Boolean(TEST_REDIS_URL));

describe.skipIf(!TEST_REDIS_URL)("chat store on Redis across nodes", () => {
  it("[CH4] a message appended through one connection is in the history another reads", async () => {
    const [a, b] = [await createRedisChatStore(TEST_REDIS_URL!), await createRedisChatStore(TEST_REDIS_URL!)];
    try {
      const room = uniqueName("CHX");
      await a.append(room, message(1));
      expect(await b.history(room)).toEqual([message(1)]);
      expect(await b.remove(room, "m1")).toBe(true);
      expect(await a.history(room)).toEqual([]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
