import { describe, expect, it } from "vitest";
import { MAX_DECLARED_TIMING_MS, PROTOCOL_VERSIONS, parseClientMessage } from "./index.js";

const join = (timing: unknown) => JSON.stringify({ type: "join", roomCode: "ABCD", versions: PROTOCOL_VERSIONS, userId: "u1", timing });

describe("join timing declaration", () => {
  it("[LS1] a join may declare its scheduling margin and output latency (integers 0-500 ms)", () => {
    const result = parseClientMessage(join({ schedulingMarginMs: 80, outputLatencyMs: 42 }));
    expect(result).toMatchObject({ ok: true, message: { timing: { schedulingMarginMs: 80, outputLatencyMs: 42 } } });
    expect(parseClientMessage(join(undefined))).toMatchObject({ ok: true });
  });

  it.each([
    ["a margin past the bound", { schedulingMarginMs: MAX_DECLARED_TIMING_MS + 1, outputLatencyMs: 0 }],
    ["a negative latency", { schedulingMarginMs: 0, outputLatencyMs: -1 }],
    ["a fractional margin", { schedulingMarginMs: 1.5, outputLatencyMs: 0 }],
    ["a missing latency", { schedulingMarginMs: 10 }],
    ["a string", { schedulingMarginMs: "10", outputLatencyMs: 0 }],
  ])("[LS1] refuses %s as INVALID_MESSAGE", (_label, timing) => {
    expect(parseClientMessage(join(timing))).toMatchObject({ ok: false, code: "INVALID_MESSAGE" });
  });
});
