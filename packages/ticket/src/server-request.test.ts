import { describe, expect, it } from "vitest";
import { signServerRequest, verifyServerRequest } from "./index.js";

const secret = "test-secret-with-enough-entropy";
const now = 1_700_000_000_000;
const request = { method: "PUT", path: "/internal/rooms/ABC234/facts", body: '{"version":2}' };

describe("server requests", () => {
  it("[IA1] verifies a request it signed, within the allowed clock skew", () => {
    const signature = signServerRequest(secret, request, now);
    expect(verifyServerRequest(secret, signature, request, now)).toBe(true);
    expect(verifyServerRequest(secret, signature, request, now + 30_000)).toBe(true);
    expect(verifyServerRequest(secret, signature, request, now - 30_000)).toBe(true);
  });

  it("[IA1] refuses a signature replayed after 30 s, or stamped 30 s in the future", () => {
    const signature = signServerRequest(secret, request, now);
    expect(verifyServerRequest(secret, signature, request, now + 30_001)).toBe(false);
    expect(verifyServerRequest(secret, signature, request, now - 30_001)).toBe(false);
  });

  it.each([
    ["another method", { ...request, method: "POST" }],
    ["another path", { ...request, path: "/internal/rooms/ZZZ999/facts" }],
    ["another body", { ...request, body: '{"version":3}' }],
  ])("[IA1] refuses a signature used for %s", (_label, other) => {
    expect(verifyServerRequest(secret, signServerRequest(secret, request, now), other, now)).toBe(false);
  });

  it("[IA1] refuses another secret's signature, a missing one and malformed ones", () => {
    expect(verifyServerRequest(secret, signServerRequest("another-secret", request, now), request, now)).toBe(false);
    expect(verifyServerRequest(secret, undefined, request, now)).toBe(false);
    const [stamp, digest] = signServerRequest(secret, request, now).split(".");
    for (const bad of ["", ".", `${stamp}`, `${stamp}.`, `.${digest}`, `${stamp}.${digest}.x`, `-1.${digest}`, `${stamp}.${digest}x`]) {
      expect(verifyServerRequest(secret, bad, request, now)).toBe(false);
    }
  });
});
