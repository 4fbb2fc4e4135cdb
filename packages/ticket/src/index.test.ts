import { describe, expect, it } from "vitest";
import { signTicket, verifyTicket } from "./index.js";

const secret = "test-secret-with-enough-entropy";
const now = 1_700_000_000_000;
const claims = { userId: "u1", name: "Ada", roomCode: "ABC234", role: "guest" as const, canControl: false };

describe("tickets", () => {
  it("verifies a ticket it signed", () => {
    const result = verifyTicket(signTicket(claims, secret, now), secret, { roomCode: "ABC234", nowMs: now + 1 });
    expect(result.ok && result.claims.userId).toBe("u1");
  });

  it("refuses a ticket signed with another secret", () => {
    const ticket = signTicket(claims, "another-secret", now);
    expect(verifyTicket(ticket, secret, { roomCode: "ABC234", nowMs: now })).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("refuses a ticket whose payload was edited", () => {
    const [, signature] = signTicket(claims, secret, now).split(".");
    const forged = Buffer.from(JSON.stringify({ ...claims, role: "host", exp: now + 1e6, jti: "abcdefgh1" })).toString("base64url");
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
