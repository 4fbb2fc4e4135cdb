import { CHAT_HISTORY_LIMIT, ChatMessage } from "@sync-beats/protocol";
import type { ChatStore } from "./chat-store.js";
import { redisClient, type RedisTarget } from "./redis-connection.js";

/** Chat history outlives a quiet room as long as its live state does (the backplane's TTL). */
const CHAT_TTL_SECONDS = 24 * 60 * 60;

// The room's hash tag, as the backplane's keys carry it, so a cluster keeps a room in one slot [RC1].
const chatKey = (room: string) => `sb:room:{${room}}:chat`;

/**
 * A {@link ChatStore} on Redis: one list per room, appended and trimmed to the newest
 * {@link CHAT_HISTORY_LIMIT} in one MULTI, so every node reads the same history in the same order.
 */
export async function createRedisChatStore(target: RedisTarget): Promise<ChatStore> {
  const redis = redisClient(target);
  await redis.connect();

  async function stored(roomCode: string): Promise<{ raw: string; message: ChatMessage }[]> {
    const raws = await redis.lrange(chatKey(roomCode), 0, -1);
    const kept: { raw: string; message: ChatMessage }[] = [];
    // Entries are written by this code only; one that no longer parses (an older shape) is skipped.
    for (const raw of raws) {
      const parsed = ChatMessage.safeParse(JSON.parse(raw));
      if (parsed.success) kept.push({ raw, message: parsed.data });
    }
    return kept;
  }

  return {
    async append(roomCode, message) {
      const key = chatKey(roomCode);
      await redis.multi().rpush(key, JSON.stringify(message)).ltrim(key, -CHAT_HISTORY_LIMIT, -1).expire(key, CHAT_TTL_SECONDS).exec();
    },
    async history(roomCode) {
      return (await stored(roomCode)).map(({ message }) => message);
    },
    async remove(roomCode, messageId) {
      const entry = (await stored(roomCode)).find(({ message }) => message.messageId === messageId);
      // LREM by value is atomic: two owners' tabs removing one message remove it once.
      return entry ? (await redis.lrem(chatKey(roomCode), 1, entry.raw)) > 0 : false;
    },
    async close() {
      await redis.quit();
    },
  };
}
