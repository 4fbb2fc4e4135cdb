import { describe, expect, it } from "vitest";
import { signTicket, verifyTicket } from "./index.js";

const secret = "test-secret-with-enough-entropy";
const now = 1_700_000_000_000;
const room = { name: "Ada's room", ownerId: "owner", listenersCanControl: false, version: 3 };
const claims = { userId: "u1", name: "Ada", roomCode: "ABC234", room };

describe("tickets", () => {
  it("verifies a ticket it signed, with the room's versioned facts", () => {
    const result = verifyTicket(signTicket(claims, secret, now), secret, { roomCode: "ABC234", nowMs: now + 1 });
    expect(result.ok && result.claims.userId).toBe("u1");
    expect(result.ok && result.claims.room).toEqual(room);
  });

  it("refuses to sign a ticket without the room's facts", () => {
    const { room: _room, ...withoutRoom } = claims;
    expect(() => signTicket(withoutRoom as typeof claims, secret, now)).toThrow();
  });

  it("refuses a ticket signed with another secret", () => {
    const ticket = signTicket(claims, "another-secret", now);
    expect(verifyTicket(ticket, secret, { roomCode: "ABC234", nowMs: now })).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("refuses a ticket whose payload was edited", () => {
    const [, signature] = signTicket(claims, secret, now).split(".");
    const forged = Buffer.from(JSON.stringify({ ...claims, room: { ...room, listenersCanControl: true }, exp: now + 1e6, jti: "abcdefgh1" })).toString("base64url");
    expect(verifyTicket(`${forged}.${signature}`, secret, { roomCode: "ABC234", nowMs: now })).toEqual({
      ok: false,
      reason: "bad-signature",
    });
  });

  it("refuses an expired ticket and one for another room", () => {
    const ticket = signTicket(claims, secret, now);
    expect(verifyTicket(ticket, secret, { roomCode: "ABC234", nowMs: now + 60_000 })).toEqual({ ok: false, reason: "expired" });
    expect(verifyTicket(ticket, secret, { roomCode: "ZZZ999", nowMs: now })).toEqual({ ok: false, reason: "wrong-room" });
  });

  it.each(["", "abc", "a.b.c", "..", "%%%.###"])("refuses malformed ticket %j", (ticket) => {
    const result = verifyTicket(ticket, secret, { roomCode: "ABC234", nowMs: now });
    expect(result.ok).toBe(false);
  });
});
