import { describe, expect, it } from "vitest";
import { LEAD_SLACK_MS, memberNeedMs, roomLeadMs, UNDECLARED_TIMING } from "./lead-sizing.js";

const bounds = { leadMs: 200, maxLeadMs: 1_500 };

describe("lead sizing", () => {
  it("[LS2] a member needs its whole measured round trip plus its declared margins", () => {
    expect(memberNeedMs({ rttMs: 100, timing: { schedulingMarginMs: 80, outputLatencyMs: 40 } })).toBe(100 + 80 + 40 + LEAD_SLACK_MS);
    // 20 ms up / 80 ms down: RTT/2 = 50 ms would be 30 ms short of the down leg; the RTT is not.
    expect(memberNeedMs({ rttMs: 100, timing: { schedulingMarginMs: 0, outputLatencyMs: 0 } })).toBeGreaterThan(80);
    expect(memberNeedMs({ rttMs: null, timing: null })).toBe(UNDECLARED_TIMING.schedulingMarginMs + UNDECLARED_TIMING.outputLatencyMs + LEAD_SLACK_MS);
  });

  it("[LS3] the room's lead is the largest need, floored and capped", () => {
    const quick = { rttMs: 2, timing: { schedulingMarginMs: 50, outputLatencyMs: 10 } };
    expect(roomLeadMs([quick], bounds)).toBe(200);
    const slow = { rttMs: 400, timing: { schedulingMarginMs: 60, outputLatencyMs: 45 } };
    expect(roomLeadMs([quick, slow], bounds)).toBe(400 + 60 + 45 + LEAD_SLACK_MS);
    const greedy = { rttMs: 1_200, timing: { schedulingMarginMs: 500, outputLatencyMs: 500 } };
    expect(roomLeadMs([quick, slow, greedy], bounds)).toBe(1_500);
    expect(roomLeadMs([], bounds)).toBe(200);
  });
});
