import { z } from "zod";
import { CommandId, DisplayName, ServerInstantMs, UserId } from "./primitives.js";

/**
 * Room chat, reactions and the owner's moderation (SPEC rules CH1–CH12). Chat and reactions are
 * commands like playback's: each carries an `id` and gets `command_accepted` or
 * `command_refused`; what they announce goes to every member of the room, sender included.
 */

/** The reactions a member may send: a fixed set, so a reaction can never carry free text. */
export const REACTION_EMOJI = ["👍", "❤️", "😂", "🔥", "🎉", "👏", "😮", "🙌"] as const;
export const ReactionEmoji = z.enum(REACTION_EMOJI);
export type ReactionEmoji = z.infer<typeof ReactionEmoji>;

/** Longest chat message, in UTF-16 code units after trimming. */
export const CHAT_MAX_LENGTH = 500;
/** How many of the newest chat messages a room keeps and hands to a joiner. */
export const CHAT_HISTORY_LIMIT = 100;

/**
 * A chat message's text: one line of free text, trimmed, 1–{@link CHAT_MAX_LENGTH} long, no
 * control characters. Clients render it as text only (never as HTML, links not made clickable).
 */
export const ChatText = z
  .string()
  .trim()
  .min(1, "chat messages must not be empty")
  .max(CHAT_MAX_LENGTH, `chat messages are limited to ${CHAT_MAX_LENGTH} characters`)
  .refine((value) => !/[\p{Cc}\p{Cs}]/u.test(value), { message: "must not contain control characters" });

/** A chat message's id, chosen by the server. */
export const ChatMessageId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, "message id must be letters, digits or _.:-");

/** Who sent a chat message or a reaction, as the sender's ticket (or dev identity) named them. */
export const ChatAuthor = z.object({ userId: UserId, name: DisplayName });
export type ChatAuthor = z.infer<typeof ChatAuthor>;

/** One chat message as the room keeps it: `atServerMs` is when the server accepted it. */
export const ChatMessage = z.object({
  messageId: ChatMessageId,
  from: ChatAuthor,
  text: ChatText,
  atServerMs: ServerInstantMs,
});
export type ChatMessage = z.infer<typeof ChatMessage>;

// ── client → server ─────────────────────────────────────────────────────────

/** Any member: show `emoji` as a burst on every device [CH1]. */
export const ReactCommand = z.object({ type: z.literal("react"), id: CommandId, emoji: ReactionEmoji });

/** Any member: post `text` to the room chat [CH3]. */
export const ChatSendCommand = z.object({ type: z.literal("chat_send"), id: CommandId, text: ChatText });

/** The room's owner only: remove the chat message `messageId` for everyone [CH6]. */
export const ChatRemoveCommand = z.object({ type: z.literal("chat_remove"), id: CommandId, messageId: ChatMessageId });

/** The chat commands, members of `ClientMessage`. */
export const CHAT_CLIENT_MESSAGES = [ReactCommand, ChatSendCommand, ChatRemoveCommand] as const;

/** Their `type`s: each carries an `id` and is answered by `command_accepted` / `command_refused`. */
export const CHAT_COMMAND_TYPES = ["react", "chat_send", "chat_remove"] as const;
export type ChatCommandType = (typeof CHAT_COMMAND_TYPES)[number];

// ── server → client ─────────────────────────────────────────────────────────

/** `from` reacted with `emoji` at server instant `atServerMs`; not stored [CH1]. */
export const ReactionBroadcast = z.object({
  type: z.literal("reaction"),
  from: ChatAuthor,
  emoji: ReactionEmoji,
  atServerMs: ServerInstantMs,
});

/** A new chat message [CH3]. */
export const ChatMessageBroadcast = ChatMessage.extend({ type: z.literal("chat_message") });

/** The owner removed the chat message `messageId`: every client drops it [CH6]. */
export const ChatRemovedBroadcast = z.object({ type: z.literal("chat_removed"), messageId: ChatMessageId });

/** Part of the answer to `join`: the room's newest chat messages, oldest first [CH5]. */
export const ChatHistoryMessage = z.object({
  type: z.literal("chat_history"),
  messages: z.array(ChatMessage).max(CHAT_HISTORY_LIMIT),
});

/** The chat messages, members of `ServerMessage`. */
export const CHAT_SERVER_MESSAGES = [ReactionBroadcast, ChatMessageBroadcast, ChatRemovedBroadcast, ChatHistoryMessage] as const;
