import {
  CHAT_HISTORY_LIMIT,
  type ChatAuthor,
  type ChatMessage,
  type ClientMessage,
  type ErrorCode,
  type ReactionEmoji,
  type ServerMessageOf,
} from "@sync-beats/protocol";

/** The server messages the chat feed consumes. */
export type ChatServerMessage = ServerMessageOf<"chat_message" | "chat_history" | "chat_removed" | "reaction">;

/** A reaction as the page shows it: who, which emoji, and when the server accepted it. */
export interface ReactionEvent {
  readonly from: ChatAuthor;
  readonly emoji: ReactionEmoji;
  readonly atServerMs: number;
}

/** A chat or moderation command the server refused (shown to whoever clicked). */
export interface ChatRefusal {
  readonly id: string;
  readonly code: ErrorCode;
  readonly message: string;
}

/** What the chat panel renders: a new object on every change (for `useSyncExternalStore`). */
export interface ChatState {
  /** Oldest first, at most {@link CHAT_HISTORY_LIMIT}. */
  readonly messages: readonly ChatMessage[];
  readonly lastRefusal: ChatRefusal | null;
}

/** The room's chat, reactions and the owner's moderation, as the engine exposes them. */
export interface ChatFeed {
  subscribe(listener: () => void): () => void;
  getState(): ChatState;
  /** Reactions as they arrive (they are events, not state); returns the unsubscribe function. */
  onReaction(listener: (reaction: ReactionEvent) => void): () => void;
  /** Each returns the command id it sent, or null when not connected. */
  send(text: string): string | null;
  react(emoji: ReactionEmoji): string | null;
  /** Owner only (the server refuses anyone else). */
  removeMessage(messageId: string): string | null;
}

/**
 * Merges `incoming` into `current` (pure): one entry per `messageId` (a message may arrive both
 * live and in the join's history), ordered by server instant, the newest
 * {@link CHAT_HISTORY_LIMIT} kept.
 */
export function mergeChat(current: readonly ChatMessage[], incoming: readonly ChatMessage[]): readonly ChatMessage[] {
  const byId = new Map(current.map((message) => [message.messageId, message]));
  for (const message of incoming) byId.set(message.messageId, message);
  const merged = [...byId.values()].sort((a, b) => a.atServerMs - b.atServerMs);
  return merged.length > CHAT_HISTORY_LIMIT ? merged.slice(-CHAT_HISTORY_LIMIT) : merged;
}

type Command = ClientMessage & { type: "react" | "chat_send" | "chat_remove" };
type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;

/**
 * The engine's chat state and commands: fed the chat frames and the answers to its own commands
 * (ids `chat-<prefix>-<n>`, so they never collide with the playback ledger's).
 */
export class ChatFeedState implements ChatFeed {
  private state: ChatState = { messages: [], lastRefusal: null };
  private readonly listeners = new Set<() => void>();
  private readonly reactionListeners = new Set<(reaction: ReactionEvent) => void>();
  private readonly pending = new Set<string>();
  private counter = 0;

  constructor(
    private readonly prefix: string,
    private readonly sendMessage: (message: ClientMessage) => boolean,
  ) {}

  /** Applies one chat frame. */
  receive(message: ChatServerMessage): void {
    switch (message.type) {
      case "reaction":
        for (const listener of [...this.reactionListeners]) listener({ from: message.from, emoji: message.emoji, atServerMs: message.atServerMs });
        return;
      case "chat_history":
        return this.update({ messages: mergeChat(this.state.messages, message.messages) });
      case "chat_message": {
        const { type: _type, ...chat } = message;
        return this.update({ messages: mergeChat(this.state.messages, [chat]) });
      }
      case "chat_removed":
        return this.update({ messages: this.state.messages.filter((chat) => chat.messageId !== message.messageId) });
    }
  }

  /** An answer to a command; false when the id is not one of this feed's. */
  answered(id: string, refusal: Omit<ChatRefusal, "id"> | null): boolean {
    if (!this.pending.delete(id)) return false;
    if (refusal) this.update({ lastRefusal: { id, ...refusal } });
    return true;
  }

  /** The socket closed: no answer will come for what is pending. */
  socketGone(): void {
    this.pending.clear();
  }

  send(text: string): string | null {
    return this.issue({ type: "chat_send", text });
  }

  react(emoji: ReactionEmoji): string | null {
    return this.issue({ type: "react", emoji });
  }

  removeMessage(messageId: string): string | null {
    return this.issue({ type: "chat_remove", messageId });
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  getState(): ChatState {
    return this.state;
  }

  onReaction(listener: (reaction: ReactionEvent) => void): () => void {
    this.reactionListeners.add(listener);
    return () => this.reactionListeners.delete(listener);
  }

  private issue(command: WithoutId<Command>): string | null {
    this.counter += 1;
    const id = `chat-${this.prefix}-${this.counter}`;
    if (!this.sendMessage({ ...command, id } as Command)) return null;
    this.pending.add(id);
    return id;
  }

  private update(change: Partial<ChatState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of [...this.listeners]) listener();
  }
}
