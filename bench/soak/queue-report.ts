/** The shared queue's figures of a soak, and their rows in the Markdown table. */
import type { DeliveryCounts } from "./delivery-ledger.js";
import type { QueueAuditCounts } from "./queue-audit.js";
import type { QueueCounters, QueueTraffic } from "./queue-traffic.js";

export interface QueueFigures {
  counters: QueueCounters;
  results: DeliveryCounts;
  broadcasts: DeliveryCounts;
  audit: QueueAuditCounts;
  final: QueueTraffic["final"];
}

export function queueFigures(traffic: QueueTraffic): QueueFigures {
  return { counters: traffic.counters, results: traffic.results.counts, broadcasts: traffic.broadcasts.counts, audit: traffic.audit.counts, final: traffic.final };
}

const count = (value: number) => value.toLocaleString("en");

const breakdown = (record: Record<string, number>) =>
  Object.entries(record)
    .filter(([, value]) => value > 0)
    .map(([key, value]) => `${key} ×${count(value)}`)
    .join(", ");
const total = (record: Record<string, number>) => Object.values(record).reduce((sum, value) => sum + value, 0);
const tally = (record: Record<string, number>) => (total(record) === 0 ? "0" : `${count(total(record))} (${breakdown(record)})`);

/** The queue's rows; `deliveries` formats a ledger the way the other broadcasts are. */
export function queueRows(queue: QueueFigures, deliveries: (counts: DeliveryCounts) => string): [string, string][] {
  const { counters, audit, final } = queue;
  return [
    ["queue commands (add / remove / move / host play now)", `${tally(counters.sent)} sent, ${count(counters.accepted)} accepted, refused ${tally(counters.refused)}`],
    ["queue command results (one per command)", deliveries(queue.results)],
    ["queue versions (one per member)", deliveries(queue.broadcasts)],
    ["queued tracks started: server advances + host play now", `${count(counters.trackStarts - counters.playNowAccepted)} + ${count(counters.playNowAccepted)}; ${count(audit.starts)} starts seen by members, ${count(audit.startsWithoutTrackChange)} without their TRACK_CHANGE`],
    ["queue order: members disagreeing on a version / stale copies", `${count(audit.mismatches)} / ${count(audit.staleCopies)} (of ${count(audit.applied)} frames applied)`],
    ["at the end, members holding the server's queue", `${count(final.agree)} agree, ${count(final.behind)} behind, ${count(final.differ)} differ (${final.rooms} rooms, ${final.unreachable} unreachable)`],
  ];
}
