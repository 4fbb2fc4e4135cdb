import { CHAT_HISTORY_LIMIT, type ChatMessage, CloseCode } from "@sync-beats/protocol";
import { describe, expect, it } from "vitest";
import { harness } from "../test/harness.js";
import { mergeChat, type ReactionEvent } from "./chat-feed.js";
import { REMOVED_MESSAGE } from "./session-end.js";

const chat = (n: number, atServerMs = 1_000 + n): ChatMessage => ({ messageId: `m${n}`, from: { userId: "u2", name: "Bo" }, text: `t${n}`, atServerMs });

describe("chat merging (pure)", () => {
  it("[CH5] a message in both the live stream and the history is kept once, in server order", () => {
    const live = mergeChat([], [chat(3)]);
    const merged = mergeChat(live, [chat(1), chat(2), chat(3)]);
    expect(merged.map((m) => m.messageId)).toEqual(["m1", "m2", "m3"]);
  });

  it("[CH4] keeps the newest 100", () => {
    const merged = mergeChat([], Array.from({ length: CHAT_HISTORY_LIMIT + 3 }, (_, n) => chat(n)));
    expect(merged).toHaveLength(CHAT_HISTORY_LIMIT);
    expect(merged[0]?.messageId).toBe("m3");
  });
});

describe("engine: chat feed", () => {
  it("[CH3][CH5][CH6] history, live messages and removals reach the feed's state; listeners hear each change", async () => {
    const h = harness();
    h.engine.connect();
    const socket = await h.join();
    let changes = 0;
    h.engine.chat.subscribe(() => changes++);
    socket.receive({ type: "chat_message", ...chat(5) });
    socket.receive({ type: "chat_history", messages: [chat(4), chat(5)] });
    expect(h.engine.chat.getState().messages.map((m) => m.messageId)).toEqual(["m4", "m5"]);
    socket.receive({ type: "chat_removed", messageId: "m4" });
    expect(h.engine.chat.getState().messages.map((m) => m.messageId)).toEqual(["m5"]);
    expect(changes).toBe(3);
  });

  it("[CH1] reactions are events handed to every listener, not state", async () => {
    const h = harness();
    h.engine.connect();
    const socket = await h.join();
    const heard: ReactionEvent[] = [];
    h.engine.chat.onReaction((reaction) => heard.push(reaction));
    socket.receive({ type: "reaction", from: { userId: "u2", name: "Bo" }, emoji: "🎉", atServerMs: 42 });
    expect(heard).toEqual([{ from: { userId: "u2", name: "Bo" }, emoji: "🎉", atServerMs: 42 }]);
    expect(h.engine.chat.getState().messages).toEqual([]);
  });

  it("[CH3][CH7] commands go out with ids of their own; a refusal is kept for the sender, not confused with playback's", async () => {
    const h = harness();
    h.engine.connect();
    const socket = await h.join();
    const id = h.engine.chat.send("hello");
    expect(socket.sentOf("chat_send")).toEqual([{ type: "chat_send", id, text: "hello" }]);
    const reactId = h.engine.chat.react("👍");
    socket.receive({ type: "command_accepted", id: reactId!, atServerMs: 1 });
    socket.receive({ type: "command_refused", id: id!, code: "RATE_LIMITED", message: "too many chat messages; wait a moment" });
    expect(h.engine.chat.getState().lastRefusal).toEqual({ id, code: "RATE_LIMITED", message: "too many chat messages; wait a moment" });
    expect(h.engine.getSnapshot().commands.lastRefusal).toBeNull();
  });

  it("[CH8][CH9] closed with 4011, or refused REMOVED on join, the engine stops for good and says why", async () => {
    const h = harness();
    h.engine.connect();
    await h.join();
    h.sockets.last().serverClose(CloseCode.REMOVED, "removed");
    await h.clock.advance(60_000);
    expect(h.sockets.sockets).toHaveLength(1);
    expect(h.engine.getSnapshot().connection).toEqual({ status: "closed", reason: "removed" });
    expect(h.engine.getSnapshot().lastError).toMatchObject({ code: "REMOVED", message: REMOVED_MESSAGE });

    const refused = harness();
    refused.engine.connect();
    refused.sockets.last().open();
    await refused.clock.advance(0);
    refused.sockets.last().receive({ type: "error", code: "REMOVED", message: "removed" });
    expect(refused.engine.getSnapshot().connection).toEqual({ status: "closed", reason: "removed" });
  });
});
