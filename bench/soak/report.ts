/** Turns the soak's samples and the fleet's counts into summary figures and the Markdown table. */
import type { DeliveryCounts } from "./delivery-ledger.js";
import { type QueueFigures, queueRows } from "./queue-report.js";
import type { FleetCounters } from "./counters.js";
import type { SoakOptions } from "./options.js";
import type { ServerMetrics } from "./server-metrics.js";
import { type Growth, growthAfter, lowWaterMarks, quantile } from "./trend.js";

export type Phase = "idle" | "soak" | "drained" | "closed";

/** One look at the server (and the clients) every few seconds. */
export interface Sample {
  /** Milliseconds since the server was ready. */
  tMs: number;
  phase: Phase;
  /** The server's VmRSS from /proc. */
  procRssBytes: number;
  /** Null when /metrics did not answer in time. */
  server: ServerMetrics | null;
  healthy: boolean;
  joined: number;
  commandsDropped: number;
  pongsDropped: number;
  resyncs: number;
  divergences: number;
  /** Share of the last 10 s during which some task waited for a CPU (Linux PSI), %; null where unavailable. */
  cpuPressurePercent: number | null;
}

export interface FleetFigures {
  connect: { opened: number; failed: number; seconds: number };
  counters: FleetCounters;
  commands: DeliveryCounts;
  pongs: DeliveryCounts;
  latencyMs: { count: number; p50: number; p99: number; max: number };
  errors: Record<string, number>;
  unexpectedCloses: Record<string, number>;
  queue: QueueFigures;
}

export interface SoakSummary {
  rssMb: { idle: number; soakStart: number; soakEnd: number; afterClose: number };
  heapUsedMb: { soakStart: number; soakEnd: number };
  /** MB per minute after the warm-up, and over the soak's last half (a one-off step is not a trend). */
  rssGrowth: Growth | null;
  rssGrowthLastHalf: Growth | null;
  /** Of the heap's per-minute low-water mark: what survives collection. */
  heapFloorGrowth: Growth | null;
  heapFloorGrowthLastHalf: Growth | null;
  /** The machine's CPU pressure over the soak's samples: how much other work competed. */
  cpuPressurePercent: { median: number; max: number } | null;
  /** Over the soak's sampling intervals: the median interval's p50 and p99, the worst interval's p99, the largest max. */
  lagMs: { p50: number; p99: number; worstP99: number; max: number };
  openFiles: { soakStart: number; soakEnd: number };
  serverResyncs: number;
  metricsMissed: number;
  unhealthySamples: number;
  /** Minutes of soak the samples cover. */
  minutes: number;
}

const MB = 1024 * 1024;
const round = (value: number, digits = 1) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : Number.NaN);

export function summarise(samples: readonly Sample[], soakStartMs: number, warmupMs: number): SoakSummary {
  const soak = samples.filter((sample) => sample.phase === "soak");
  const first = soak[0];
  const last = soak[soak.length - 1];
  const metric = (sample: Sample | undefined, pick: (metrics: ServerMetrics) => number) => (sample?.server ? pick(sample.server) : Number.NaN);
  const series = (pick: (sample: Sample) => number) => soak.map((sample) => ({ x: sample.tMs, y: pick(sample) }));
  const lags = soak.flatMap((sample) => (sample.server ? [sample.server] : []));
  const lastOf = (phase: Phase) => samples.filter((sample) => sample.phase === phase).at(-1);
  const fitFrom = soakStartMs + warmupMs;
  const lastHalfFrom = (fitFrom + (last?.tMs ?? fitFrom)) / 2;
  const rss = series((sample) => sample.procRssBytes / MB);
  const heapFloor = lowWaterMarks(series((sample) => metric(sample, (m) => m.heapUsedBytes) / MB), 60_000);
  const pressure = soak.flatMap((sample) => (sample.cpuPressurePercent === null ? [] : [sample.cpuPressurePercent]));
  return {
    rssMb: {
      idle: round((lastOf("idle")?.procRssBytes ?? Number.NaN) / MB),
      soakStart: round((first?.procRssBytes ?? Number.NaN) / MB),
      soakEnd: round((last?.procRssBytes ?? Number.NaN) / MB),
      afterClose: round((lastOf("closed")?.procRssBytes ?? Number.NaN) / MB),
    },
    heapUsedMb: { soakStart: round(metric(first, (m) => m.heapUsedBytes) / MB), soakEnd: round(metric(last, (m) => m.heapUsedBytes) / MB) },
    rssGrowth: growthAfter(rss, fitFrom),
    rssGrowthLastHalf: growthAfter(rss, lastHalfFrom),
    heapFloorGrowth: growthAfter(heapFloor, fitFrom),
    heapFloorGrowthLastHalf: growthAfter(heapFloor, lastHalfFrom),
    cpuPressurePercent: pressure.length === 0 ? null : { median: round(quantile(pressure, 0.5)), max: round(Math.max(...pressure)) },
    lagMs: {
      p50: round(quantile(lags.map((m) => m.lagP50Ms), 0.5), 2),
      p99: round(quantile(lags.map((m) => m.lagP99Ms), 0.5), 2),
      worstP99: round(Math.max(...lags.map((m) => m.lagP99Ms)), 2),
      max: round(Math.max(...lags.map((m) => m.lagMaxMs)), 2),
    },
    openFiles: { soakStart: metric(first, (m) => m.openFds), soakEnd: metric(last, (m) => m.openFds) },
    serverResyncs: metric(samples.at(-1), (m) => m.resyncTotal) - metric(samples[0], (m) => m.resyncTotal),
    metricsMissed: samples.filter((sample) => !sample.server).length,
    unhealthySamples: samples.filter((sample) => !sample.healthy && sample.phase !== "closed").length,
    minutes: round(((last?.tMs ?? 0) - (first?.tMs ?? 0)) / 60_000, 2),
  };
}

const count = (value: number) => (Number.isFinite(value) ? value.toLocaleString("en") : "–");

function growth(value: Growth | null): string {
  if (!value) return "–";
  return `${value.perMinute >= 0 ? "+" : ""}${value.perMinute.toFixed(2)} ± ${(2 * value.stdErrorPerMinute).toFixed(2)} MB/min (${value.trend === "flat" ? "flat within noise" : value.trend})`;
}

function tally(record: Record<string, number>): string {
  const entries = Object.entries(record);
  const total = entries.reduce((sum, [, value]) => sum + value, 0);
  return total === 0 ? "0" : `${total} (${entries.map(([key, value]) => `${key} ×${value}`).join(", ")})`;
}

function deliveries(counts: DeliveryCounts): string {
  const extra = counts.duplicates + counts.unexpected > 0 ? `; ${counts.duplicates} duplicate, ${counts.unexpected} unexpected` : "";
  return `${count(counts.expected)} expected, ${count(counts.delivered)} delivered, **${count(counts.dropped)} dropped**, ${count(counts.excused)} excused (recipient churned), ${count(counts.refused)} refused${extra}`;
}

/** The soak's figures as a two-column Markdown table (stdout and README). */
export function markdownTable(options: SoakOptions, summary: SoakSummary, fleet: FleetFigures): string {
  const { rssMb, heapUsedMb, lagMs, openFiles } = summary;
  const rows: [string, string][] = [
    ["clients / rooms / soak", `${count(options.clients)} / ${count(options.rooms)} / ${summary.minutes} min (warm-up ${options.warmupMinutes} min), churn ${options.churnPercentPerMinute} %/min`],
    ["connect + join", `${count(fleet.connect.opened)} ok, ${fleet.connect.failed} failed in ${fleet.connect.seconds.toFixed(1)} s`],
    ["server RSS: idle → soak start → end → clients gone", `${rssMb.idle} → ${rssMb.soakStart} → ${rssMb.soakEnd} → ${rssMb.afterClose} MB`],
    ["RSS growth after warm-up; over the last half (±2 SE)", `${growth(summary.rssGrowth)}; ${growth(summary.rssGrowthLastHalf)}`],
    ["heap used: soak start → end", `${heapUsedMb.soakStart} → ${heapUsedMb.soakEnd} MB`],
    ["heap after GC (per-minute low of heap used): growth after warm-up; over the last half", `${growth(summary.heapFloorGrowth)}; ${growth(summary.heapFloorGrowthLastHalf)}`],
    ["open files: soak start → end", `${count(openFiles.soakStart)} → ${count(openFiles.soakEnd)}`],
    ["event-loop lag p50 / p99 (median interval) / worst p99 / max", `${lagMs.p50} / ${lagMs.p99} / ${lagMs.worstP99} / ${lagMs.max} ms`],
    ["host commands", `${count(fleet.counters.commandsSent)} sent, ${fleet.counters.commandsRefused} refused, ${fleet.counters.commandsSkipped} turns skipped (host away)`],
    ["command broadcasts (one per member)", deliveries(fleet.commands)],
    ["command → receipt p50 / p99 / max", `${fleet.latencyMs.p50} / ${fleet.latencyMs.p99} / ${fleet.latencyMs.max} ms`],
    ...queueRows(fleet.queue, deliveries),
    ["time_pong per time_ping", deliveries(fleet.pongs)],
    ["timeline disagreements (a pong's server position ≠ the client's)", `${count(fleet.counters.divergences)} (in ${count(fleet.counters.divergentPongs)} of ${count(fleet.pongs.delivered)} pongs)`],
    ["RESYNC (server count / clients received)", `${count(summary.serverResyncs)} / ${count(fleet.counters.resyncs)} (${count(fleet.counters.syncChecksSent)} sync_checks)`],
    ["error frames", tally(fleet.errors)],
    ["unexpected disconnects", tally(fleet.unexpectedCloses)],
    ["churn: leaves / rejoins", `${count(fleet.counters.churnLeaves)} / ${count(fleet.counters.rejoins)}`],
    ["samples without /metrics / unhealthy", `${summary.metricsMissed} / ${summary.unhealthySamples}`],
    ["machine CPU pressure (PSI: share of time a task waited for a CPU) median / max", summary.cpuPressurePercent ? `${summary.cpuPressurePercent.median} / ${summary.cpuPressurePercent.max} %` : "–"],
  ];
  return ["| figure | value |", "|---|---|", ...rows.map(([figure, value]) => `| ${figure} | ${value} |`)].join("\n");
}
