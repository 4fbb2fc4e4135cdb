import { describe, expect, it } from "vitest";
import { parseOptions } from "./options.js";
import { svgPlot } from "./plot.js";
import { type FleetFigures, markdownTable, type Sample, summarise } from "./report.js";
import type { ServerMetrics } from "./server-metrics.js";

const MB = 1024 * 1024;

function metrics(overrides: Partial<ServerMetrics>): ServerMetrics {
  return {
    rssBytes: 100 * MB,
    heapUsedBytes: 20 * MB,
    heapTotalBytes: 40 * MB,
    externalBytes: MB,
    lagP50Ms: 0.1,
    lagP99Ms: 1,
    lagMaxMs: 2,
    resyncTotal: 0,
    connections: 10,
    rooms: 1,
    openFds: 30,
    ...overrides,
  };
}

const minute = (tMs: number) => Math.round(tMs / 60_000);

/** An idle sample, then one soak sample a minute for 10 minutes whose RSS grows by `leakMbPerMin`. */
function run(leakMbPerMin: number): Sample[] {
  const sample = (tMs: number, phase: Sample["phase"], rssMb: number, server: ServerMetrics | null): Sample => ({
    tMs,
    phase,
    procRssBytes: rssMb * MB,
    server,
    healthy: true,
    joined: 10,
    commandsDropped: 0,
    pongsDropped: 0,
    resyncs: 0,
    divergences: 0,
    cpuPressurePercent: minute(tMs) * 2,
  });
  const soak = Array.from({ length: 11 }, (_, minute) =>
    sample(60_000 * (minute + 1), "soak", 120 + leakMbPerMin * minute + (minute % 2), metrics({ lagP99Ms: minute === 5 ? 30 : 1 + minute / 10, resyncTotal: minute })),
  );
  soak[3] = { ...soak[3]!, server: null };
  return [sample(0, "idle", 90, metrics({})), ...soak, sample(12 * 60_000, "closed", 125, metrics({ resyncTotal: 10 }))];
}

const fleet: FleetFigures = {
  connect: { opened: 10, failed: 0, seconds: 0.4 },
  counters: { commandsSent: 50, commandsSkipped: 1, commandsRefused: 0, pingsSent: 2_000, syncChecksSent: 3_000, framesReceived: 6_000, resyncs: 2, divergences: 1, divergentPongs: 3, churnLeaves: 4, rejoins: 4, invalidFrames: 0 },
  commands: { expected: 500, delivered: 497, dropped: 3, excused: 0, refused: 0, duplicates: 0, unexpected: 0 },
  pongs: { expected: 2_000, delivered: 2_000, dropped: 0, excused: 0, refused: 0, duplicates: 0, unexpected: 0 },
  latencyMs: { count: 497, p50: 0.8, p99: 4.2, max: 9 },
  errors: { RATE_LIMITED: 2 },
  unexpectedCloses: {},
  queue: {
    counters: { sent: { queue_add: 40, queue_remove: 10, queue_move: 8, queue_play_now: 2 }, accepted: 55, refused: { STALE_QUEUE: 5 }, idleTurns: 1, trackStarts: 12, playNowAccepted: 2 },
    results: { expected: 60, delivered: 60, dropped: 0, excused: 0, refused: 0, duplicates: 0, unexpected: 0 },
    broadcasts: { expected: 700, delivered: 699, dropped: 1, excused: 3, refused: 0, duplicates: 0, unexpected: 0 },
    audit: { applied: 705, mismatches: 0, staleCopies: 2, starts: 120, startsWithoutTrackChange: 0 },
    final: { agree: 10, behind: 0, differ: 0, rooms: 1, unreachable: 0 },
  },
};

describe("summarise", () => {
  it("fits the growth after the warm-up and tells a leak from a flat run", () => {
    const leaking = summarise(run(2), 60_000, 120_000);
    expect(leaking.rssGrowth!.perMinute).toBeCloseTo(2, 0);
    expect(leaking.rssGrowth!.trend).toBe("rising");
    expect(summarise(run(0), 60_000, 120_000).rssGrowth!.trend).toBe("flat");
  });

  it("tells a one-off step after the warm-up from growth: the last half is flat", () => {
    const samples = run(0).map((sample) => (sample.phase === "soak" && sample.tMs >= 5 * 60_000 ? { ...sample, procRssBytes: sample.procRssBytes + 8 * MB } : sample));
    const summary = summarise(samples, 60_000, 120_000);
    expect(summary.rssGrowth!.trend).toBe("rising");
    expect(summary.rssGrowthLastHalf!.trend).toBe("flat");
  });

  it("reads memory at the idle, first, last and closed samples", () => {
    const summary = summarise(run(1), 60_000, 0);
    expect(summary.rssMb).toEqual({ idle: 90, soakStart: 120, soakEnd: 130, afterClose: 125 });
    expect(summary.heapUsedMb).toEqual({ soakStart: 20, soakEnd: 20 });
    expect(summary.minutes).toBe(10);
  });

  it("takes lag over the soak's intervals and counts the samples without metrics", () => {
    const summary = summarise(run(0), 60_000, 0);
    expect(summary.lagMs.worstP99).toBe(30);
    expect(summary.lagMs.max).toBe(2);
    expect(summary.lagMs.p99).toBe(1.6);
    expect(summary.metricsMissed).toBe(1);
    expect(summary.serverResyncs).toBe(10);
  });
});

describe("markdownTable", () => {
  it("shows the run's figures, drops in bold", () => {
    const table = markdownTable(parseOptions(["--clients", "10", "--rooms", "1"]), summarise(run(0), 60_000, 0), fleet);
    expect(table).toContain("| server RSS: idle → soak start → end → clients gone | 90 → 120 → 120 → 125 MB |");
    expect(table).toContain("500 expected, 497 delivered, **3 dropped**");
    expect(table).toContain("| error frames | 2 (RATE_LIMITED ×2) |");
    expect(table).toContain("| timeline disagreements (a pong's server position ≠ the client's) | 1 (in 3 of 2,000 pongs) |");
    expect(table).toContain("| RESYNC (server count / clients received) | 10 / 2 (3,000 sync_checks) |");
    expect(table).toMatch(/RSS growth after warm-up; over the last half \(±2 SE\) \| [+-]\d+\.\d+ ± \d+\.\d+ MB\/min \(flat within noise\); [+-]/);
    expect(table).toContain("| 12 / 22 % |");
    expect(table).toContain("| queue commands (add / remove / move / host play now) | 60 (queue_add ×40, queue_remove ×10, queue_move ×8, queue_play_now ×2) sent, 55 accepted, refused 5 (STALE_QUEUE ×5) |");
    expect(table).toContain("| queue versions (one per member) | 700 expected, 699 delivered, **1 dropped**, 3 excused");
    expect(table).toContain("| queued tracks started: server advances + host play now | 10 + 2; 120 starts seen by members, 0 without their TRACK_CHANGE |");
    expect(table).toContain("| at the end, members holding the server's queue | 10 agree, 0 behind, 0 differ (1 rooms, 0 unreachable) |");
    expect(table).toMatch(/\| heap after GC \(per-minute low of heap used\): growth after warm-up; over the last half \| [+-]\d+\.\d+ ± /);
  });
});

describe("svgPlot", () => {
  it("draws three panels and marks the intervals with a drop", () => {
    const samples = run(0);
    for (let index = 6; index < samples.length; index++) samples[index] = { ...samples[index]!, commandsDropped: 1 };
    for (let index = 9; index < samples.length; index++) samples[index] = { ...samples[index]!, commandsDropped: 1, divergences: 2 };
    const { svg, width, height } = svgPlot(samples, summarise(samples, 60_000, 120_000), 60_000, 120_000);
    expect(width).toBe(1100);
    expect(height).toBe(750);
    expect(svg.match(/<rect [^>]*stroke="#ccc"/g)).toHaveLength(3);
    expect(svg.match(/stroke="#d62728"\/>/g)).toHaveLength(2);
    expect(svg).toContain("RSS trend after warm-up");
  });
});
