import { randomUUID } from "node:crypto";
import type { ChatAuthor, ChatMessage, ClientMessageOf, ServerMessage } from "@sync-beats/protocol";
import type { Backplane, SharedRoomState } from "./backplane.js";
import type { ChatStore } from "./chat-store.js";
import { CHAT_RATE, isRemoved, REACTION_RATE, requireOwner } from "./chat-rules.js";
import type { Clock } from "./clock.js";
import { ProtocolError, viaBackplane } from "./errors.js";
import { TokenBucket } from "./rate-limiter.js";
import type { Member } from "./room-member.js";

interface MemberLimits {
  chat: TokenBucket;
  reactions: TokenBucket;
}

/**
 * A room's chat, reactions and moderation on this node. Reactions and chat messages are
 * broadcasts (no change to the live state, so nothing waits on the timeline's compare-and-set);
 * chat history goes to the {@link ChatStore}; a removal is a live-state transition. Every method
 * resolves with the server instant for the sender's `command_accepted`, or rejects with the refusal.
 */
export class RoomChat {
  /** Per member, dropped with the member: a reconnect starts with full buckets, as a new tab would. */
  private readonly limits = new WeakMap<Member, MemberLimits>();

  constructor(
    private readonly code: string,
    private readonly clock: Clock,
    private readonly backplane: Backplane,
    private readonly store: ChatStore,
    private readonly state: () => SharedRoomState,
  ) {}

  /** A burst of `emoji` on every device [CH1][CH2]. */
  async react(member: Member, command: ClientMessageOf<"react">): Promise<number> {
    this.admit(member, "reactions");
    const atServerMs = this.clock.now();
    await this.publish({ type: "reaction", from: authorOf(member), emoji: command.emoji, atServerMs });
    return atServerMs;
  }

  /** A chat message: kept in the history, then announced [CH3][CH4][CH7]. */
  async send(member: Member, command: ClientMessageOf<"chat_send">): Promise<number> {
    this.admit(member, "chat");
    const message: ChatMessage = { messageId: randomUUID(), from: authorOf(member), text: command.text, atServerMs: this.clock.now() };
    await viaBackplane(() => this.store.append(this.code, message));
    await this.publish({ type: "chat_message", ...message });
    return message.atServerMs;
  }

  /** The owner removes a chat message for everyone [CH6]. */
  async remove(member: Member, command: ClientMessageOf<"chat_remove">): Promise<number> {
    requireOwner(member.identity.userId, this.state(), "remove a chat message");
    if (!(await viaBackplane(() => this.store.remove(this.code, command.messageId)))) {
      throw new ProtocolError("NO_SUCH_MESSAGE", "that message is not in the room's chat");
    }
    await this.publish({ type: "chat_removed", messageId: command.messageId });
    return this.clock.now();
  }

  /** The kept history, oldest first, for a joiner [CH5]. */
  history(): Promise<ChatMessage[]> {
    return viaBackplane(() => this.store.history(this.code));
  }

  /** A removed user's socket may still be closing; past that, the member's bucket decides [CH2][CH7]. */
  private admit(member: Member, kind: keyof MemberLimits): void {
    if (isRemoved(member.identity.userId, this.state())) throw new ProtocolError("REMOVED", "the room's owner removed you from this room");
    let limits = this.limits.get(member);
    if (!limits) {
      const now = this.clock.now();
      limits = { chat: new TokenBucket(CHAT_RATE.perSecond, CHAT_RATE.burst, now), reactions: new TokenBucket(REACTION_RATE.perSecond, REACTION_RATE.burst, now) };
      this.limits.set(member, limits);
    }
    if (!limits[kind].take(this.clock.now())) {
      throw new ProtocolError("RATE_LIMITED", kind === "chat" ? "too many chat messages; wait a moment" : "too many reactions; wait a moment");
    }
  }

  private publish(message: ServerMessage): Promise<void> {
    return viaBackplane(() => this.backplane.publish(this.code, { frames: [JSON.stringify(message)] }));
  }
}

function authorOf(member: Member): ChatAuthor {
  return { userId: member.identity.userId, name: member.identity.name };
}
