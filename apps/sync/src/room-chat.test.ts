import { CHAT_HISTORY_LIMIT, CHAT_MAX_LENGTH, CloseCode } from "@sync-beats/protocol";
import { signTicket } from "@sync-beats/ticket";
import { describe, expect, it } from "vitest";
import { settle } from "../test/harness.js";
import { hostClaims, joinWith, listenerClaims, ROOM, secret, ticketHarness } from "../test/hardening/ticket-room.js";
import { removeMember } from "./chat-rules.js";

/** A ticket-mode room: alice owns it (and hosts), bob listens. */
async function chatRoom() {
  const harness = ticketHarness();
  const ticket = (claims: typeof hostClaims) => signTicket(claims, secret, harness.clock.now());
  const owner = await joinWith(harness, ticket(hostClaims));
  const listener = await joinWith(harness, ticket(listenerClaims));
  const join = (userId: string, name = userId) => joinWith(harness, ticket({ ...listenerClaims, userId, name }));
  return { harness, owner, listener, join, ticket, remove: (byUserId: string, userId: string) => removeVia(harness, byUserId, userId) };
}

/** What the internal API's `remove` runs once the API stored a removal: the transition, through the backplane [CH8]. */
async function removeVia(harness: ReturnType<typeof ticketHarness>, byUserId: string, userId: string): Promise<void> {
  await harness.backplane.transact(ROOM, removeMember(byUserId, userId));
  await settle();
}

describe("room chat and reactions", () => {
  it("[CH1] a reaction reaches every member, sender included, with who sent it and the server instant", async () => {
    const { harness, owner, listener } = await chatRoom();
    await listener.send({ type: "react", id: "r1", emoji: "🔥" });
    const expected = { type: "reaction", from: { userId: "bob", name: "Bob" }, emoji: "🔥", atServerMs: harness.clock.now() };
    expect(owner.socket.last("reaction")).toEqual(expected);
    expect(listener.socket.last("reaction")).toEqual(expected);
    expect(listener.socket.last("command_accepted")).toEqual({ type: "command_accepted", id: "r1", atServerMs: harness.clock.now() });
  });

  it("[CH1] an emoji outside the fixed set is refused and reaches nobody", async () => {
    const { owner, listener } = await chatRoom();
    await listener.send({ type: "react", id: "r1", emoji: "<img src=x onerror=alert(1)>" });
    expect(listener.socket.last("command_refused")).toMatchObject({ id: "r1", code: "INVALID_MESSAGE" });
    expect(owner.socket.ofType("reaction")).toEqual([]);
  });

  it("[CH2] ten reactions at once, the eleventh refused RATE_LIMITED; the connection lives on and refills", async () => {
    const { harness, owner, listener } = await chatRoom();
    for (let i = 0; i < 10; i++) await listener.send({ type: "react", id: `r${i}`, emoji: "👍" });
    await listener.send({ type: "react", id: "r10", emoji: "👍" });
    expect(listener.socket.last("command_refused")).toMatchObject({ id: "r10", code: "RATE_LIMITED" });
    expect(owner.socket.ofType("reaction")).toHaveLength(10);
    await harness.advance(500);
    await listener.send({ type: "react", id: "r11", emoji: "👍" });
    expect(listener.socket.last("command_accepted").id).toBe("r11");
    expect(listener.socket.closed).toBeNull();
  });

  it("[CH3] a chat message reaches everyone with a server id, the sender's name and the trimmed text", async () => {
    const { harness, owner, listener } = await chatRoom();
    await listener.send({ type: "chat_send", id: "c1", text: "  hello <b>there</b>  " });
    const message = owner.socket.last("chat_message");
    expect(message).toMatchObject({ from: { userId: "bob", name: "Bob" }, text: "hello <b>there</b>", atServerMs: harness.clock.now() });
    expect(listener.socket.last("chat_message")).toEqual(message);
    expect(listener.socket.last("command_accepted")).toMatchObject({ id: "c1", atServerMs: message.atServerMs });
  });

  it("[CH3] empty, whitespace-only and over-long messages are refused and change nothing", async () => {
    const { owner, listener } = await chatRoom();
    await listener.send({ type: "chat_send", id: "empty", text: "   " });
    await listener.send({ type: "chat_send", id: "long", text: "x".repeat(CHAT_MAX_LENGTH + 1) });
    await listener.send({ type: "chat_send", id: "ctrl", text: "a\u0007b" });
    expect(listener.socket.ofType("command_refused").map(({ id, code }) => [id, code])).toEqual([
      ["empty", "INVALID_MESSAGE"],
      ["long", "INVALID_MESSAGE"],
      ["ctrl", "INVALID_MESSAGE"],
    ]);
    await listener.send({ type: "chat_send", id: "max", text: "y".repeat(CHAT_MAX_LENGTH) });
    expect(owner.socket.ofType("chat_message").map((m) => m.text.length)).toEqual([CHAT_MAX_LENGTH]);
  });

  it("[CH7] five chat messages at once, the sixth refused RATE_LIMITED; one more every 2 s", async () => {
    const { harness, listener } = await chatRoom();
    for (let i = 0; i < 6; i++) await listener.send({ type: "chat_send", id: `c${i}`, text: `message ${i}` });
    expect(listener.socket.last("command_refused")).toMatchObject({ id: "c5", code: "RATE_LIMITED" });
    await harness.advance(1_000);
    await listener.send({ type: "chat_send", id: "early", text: "too soon" });
    expect(listener.socket.last("command_refused")).toMatchObject({ id: "early", code: "RATE_LIMITED" });
    await harness.advance(1_000);
    await listener.send({ type: "chat_send", id: "later", text: "now" });
    expect(listener.socket.last("command_accepted").id).toBe("later");
    expect(listener.socket.ofType("chat_message")).toHaveLength(6);
  });

  it("[CH5] a joiner gets the newest 100 messages, oldest first, right after joined", async () => {
    const { harness, listener, join } = await chatRoom();
    for (let i = 0; i < CHAT_HISTORY_LIMIT + 5; i++) {
      await listener.send({ type: "chat_send", id: `c${i}`, text: `m${i}` });
      await harness.advance(2_000);
    }
    const late = await join("carol", "Carol");
    const types = late.socket.received.map((m) => m.type);
    expect(types.slice(0, 2)).toEqual(["joined", "chat_history"]);
    const history = late.socket.last("chat_history").messages;
    expect(history.map((m) => m.text)).toEqual(Array.from({ length: CHAT_HISTORY_LIMIT }, (_, i) => `m${i + 5}`));
  });
});

describe("the owner's moderation", () => {
  it("[CH6] the owner removes a message for everyone and for later joiners; others are refused NOT_OWNER", async () => {
    const { owner, listener, join } = await chatRoom();
    await listener.send({ type: "chat_send", id: "c1", text: "spam" });
    const { messageId } = owner.socket.last("chat_message");
    await listener.send({ type: "chat_remove", id: "x1", messageId });
    expect(listener.socket.last("command_refused")).toMatchObject({ id: "x1", code: "NOT_OWNER" });
    await owner.send({ type: "chat_remove", id: "x2", messageId });
    expect(owner.socket.last("command_accepted").id).toBe("x2");
    expect(listener.socket.last("chat_removed")).toEqual({ type: "chat_removed", messageId });
    expect(owner.socket.last("chat_removed")).toEqual({ type: "chat_removed", messageId });
    await owner.send({ type: "chat_remove", id: "x3", messageId });
    expect(owner.socket.last("command_refused")).toMatchObject({ id: "x3", code: "NO_SUCH_MESSAGE" });
    const late = await join("carol");
    expect(late.socket.last("chat_history").messages).toEqual([]);
  });

  it("[CH8] the owner removes a person: their sockets close with 4011, the others stay", async () => {
    const { owner, listener, remove } = await chatRoom();
    await expect(remove("bob", "alice")).rejects.toMatchObject({ code: "NOT_OWNER" });
    await remove("alice", "bob");
    expect(listener.socket.closed).toEqual({ code: CloseCode.REMOVED, reason: expect.any(String) });
    expect(owner.socket.closed).toBeNull();
    await expect(remove("alice", "alice")).rejects.toMatchObject({ code: "INVALID_MESSAGE" });
  });

  it("[CH9] while the live room lasts, a removed user's fresh ticket is refused with REMOVED and close 4011; others still join", async () => {
    const { listener, ticket, harness, remove } = await chatRoom();
    await remove("alice", "bob");
    await listener.close();
    const again = await joinWith(harness, ticket(listenerClaims));
    expect(again.socket.last("error")).toMatchObject({ code: "REMOVED" });
    expect(again.socket.closed?.code).toBe(CloseCode.REMOVED);
    expect(again.socket.ofType("joined")).toEqual([]);
    const carol = await joinWith(harness, ticket({ ...listenerClaims, userId: "carol", name: "Carol" }));
    expect(carol.socket.last("joined").participants.map((p) => p.userId)).toEqual(["alice", "carol"]);
  });

  it("[CH8] removing the host hands hosting to the owner", async () => {
    const { harness, owner, listener, join, remove } = await chatRoom();
    await owner.close();
    await harness.advance(10_001);
    const carol = await join("carol");
    expect(carol.socket.last("joined").hostId).toBe("bob");
    const back = await joinWith(harness, signTicket(hostClaims, secret, harness.clock.now()));
    await remove("alice", "bob");
    expect(back.socket.last("host_changed")).toEqual({ type: "host_changed", hostId: "alice" });
    expect(carol.socket.last("host_changed")).toEqual({ type: "host_changed", hostId: "alice" });
    expect(listener.socket.closed?.code).toBe(CloseCode.REMOVED);
  });

  it("[CH6][CH8] a dev-identity room has no owner: nobody may moderate it", async () => {
    const { createHarness } = await import("../test/harness.js");
    const harness = createHarness();
    await harness.joinAs("first");
    const second = await harness.joinAs("second");
    await expect(harness.backplane.transact("ROOM42", removeMember("first", "second"))).rejects.toMatchObject({ code: "NOT_OWNER" });
    expect(second.socket.closed).toBeNull();
  });
});
