import type { ClientMessageOf } from "@sync-beats/protocol";

/** What a member declared on join [LS1]. */
export type JoinTiming = NonNullable<ClientMessageOf<"join">["timing"]>;

/**
 * What a member that declared nothing is assumed to need: the engine's own 50 ms scheduling lead
 * plus a typical 50 ms of output latency (a v2 client from before LS1).
 */
export const UNDECLARED_TIMING: JoinTiming = { schedulingMarginMs: 50, outputLatencyMs: 50 };

/** Slack on top of every member's need (ms): event-loop delays on either side. */
export const LEAD_SLACK_MS = 25;

/** The lead bounds (the room's `leadMs` floor and `maxLeadMs` cap). */
export interface LeadBounds {
  readonly leadMs: number;
  readonly maxLeadMs: number;
}

/** One member as the lead sees it: the round trip the server measured itself, and its declaration. */
export interface LeadMember {
  readonly rttMs: number | null;
  readonly timing: JoinTiming | null;
}

/**
 * How long before its effect instant a member must receive a command [LS2]: the whole measured
 * round trip (the down leg is at most that, whatever the asymmetry — half of it would be too short
 * on a 20/80 ms link), plus its declared scheduling margin and output latency, plus slack.
 */
export function memberNeedMs(member: LeadMember): number {
  const timing = member.timing ?? UNDECLARED_TIMING;
  return (member.rttMs ?? 0) + timing.schedulingMarginMs + timing.outputLatencyMs + LEAD_SLACK_MS;
}

/**
 * The room's lead [LS3]: the largest member need, no less than the floor and never past the cap,
 * so no member can push the room's lead beyond it; a member slower than the cap joins each
 * command late, in sync (the engine's LS5).
 */
export function roomLeadMs(members: Iterable<LeadMember>, bounds: LeadBounds): number {
  let need = 0;
  for (const member of members) need = Math.max(need, memberNeedMs(member));
  return Math.min(bounds.maxLeadMs, Math.max(bounds.leadMs, Math.ceil(need)));
}
