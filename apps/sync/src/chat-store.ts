import { CHAT_HISTORY_LIMIT, type ChatMessage } from "@sync-beats/protocol";

/**
 * Where a room's chat history lives: beside the live state, not in it, so chat never takes part
 * in the timeline's compare-and-set [CH4]. In memory for one process, in Redis (a capped list per
 * room) when several nodes share rooms, so a joiner on any node gets the same history.
 */
export interface ChatStore {
  /** Appends `message`, keeping only the newest {@link CHAT_HISTORY_LIMIT}. */
  append(roomCode: string, message: ChatMessage): Promise<void>;
  /** The kept messages, oldest first. */
  history(roomCode: string): Promise<ChatMessage[]>;
  /** Removes the message `messageId`; false when it is not kept (never was, or aged out). */
  remove(roomCode: string, messageId: string): Promise<boolean>;
  close(): Promise<void>;
}

/** A {@link ChatStore} in this process: each room's history as a capped array. */
export function createMemoryChatStore(): ChatStore {
  const rooms = new Map<string, ChatMessage[]>();
  return {
    async append(roomCode, message) {
      const list = rooms.get(roomCode) ?? [];
      list.push(message);
      if (list.length > CHAT_HISTORY_LIMIT) list.splice(0, list.length - CHAT_HISTORY_LIMIT);
      rooms.set(roomCode, list);
    },
    async history(roomCode) {
      return [...(rooms.get(roomCode) ?? [])];
    },
    async remove(roomCode, messageId) {
      const list = rooms.get(roomCode) ?? [];
      const index = list.findIndex((message) => message.messageId === messageId);
      if (index < 0) return false;
      list.splice(index, 1);
      return true;
    },
    async close() {
      rooms.clear();
    },
  };
}
