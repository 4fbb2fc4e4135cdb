/** Turns scenario results into the printed tables, the baseline ratios and the target verdicts. */
import type { BenchOptions } from "./options.js";
import type { ProfileSummary } from "./profile.js";
import type { PhaseResult, ScenarioResult } from "./scenario-result.js";

export interface Target {
  target: string;
  measured: string;
  verdict: "met" | "missed" | "not run";
  note?: string;
}

/** Sync ÷ bare-ws at one client count: the issue's targets are read from these. */
export interface Ratios {
  clients: number;
  /** Which sync/baseline pair of this count (1-based): `--scenario single,baseline,baseline,single` runs two. */
  pair: number;
  /** Steady fan-out p99 (≤ 1.5× targeted). */
  fanOutP99: number;
  /** Steady time_ping → time_pong p99 (≤ 1.5× targeted). */
  pongP99: number;
  /** Saturation fan-out per server CPU-second (≥ 1.0× targeted). */
  fanOutPerCpu: number;
  rssPerConnection: number;
  saturationFanOut: number;
  saturationFanOutPerCpu: number;
  steadyP50: number;
  steadyP99: number;
  saturationP99: number;
  cpuPerFrame: number;
}

const number = (value: number) => (Number.isFinite(value) ? value.toLocaleString("en") : "–");
const cores = (values: number[]) => values.map((value) => `${value} %`).join(" + ");

function lag(phase: PhaseResult): string {
  return phase.eventLoopLag ? phase.eventLoopLag.map((node) => number(node.p99Ms)).join(" / ") : "–";
}

/** PSI "some" share of the phase: how often a runnable task waited for a CPU. */
function pressure(phase: PhaseResult): string {
  return phase.cpuPressurePercent === null ? "–" : `${phase.cpuPressurePercent} %`;
}

function label(result: ScenarioResult): string {
  if (result.scenario === "cluster") return `cluster: 2 sync + Redis`;
  if (result.scenario === "workers") return "SYNC_WORKERS=2, one port, Redis";
  if (result.scenario === "redis-cluster") return "2 sync + 3-master Redis Cluster";
  return result.server === "sync" ? "sync, 1 process" : "bare ws baseline";
}

/** The client counts of a run, in the order they ran. */
function clientCounts(results: ScenarioResult[]): number[] {
  return [...new Set(results.map((result) => result.clients))];
}

/**
 * Sync ÷ baseline at every client count where both ran: the k-th sync run with the k-th baseline
 * run of that count, so an interleaved order (`single,baseline,baseline,single`) gives two pairs
 * that share the machine's drift.
 */
export function allRatios(results: ScenarioResult[]): Ratios[] {
  return clientCounts(results).flatMap((clients) => {
    const sized = results.filter((result) => result.clients === clients);
    const bares = sized.filter((result) => result.scenario === "baseline");
    const syncs = sized.filter((result) => result.scenario === "single").slice(0, bares.length);
    return syncs.map((sync, index) => ratios(sync, bares[index]!, index + 1));
  });
}

function ratios(sync: ScenarioResult, bare: ScenarioResult, pair: number): Ratios {
  const ratio = (a: number, b: number) => Math.round((100 * a) / b) / 100;
  return {
    clients: sync.clients,
    pair,
    fanOutP99: ratio(sync.steady.latency.p99, bare.steady.latency.p99),
    pongP99: ratio(sync.steady.pongRtt.p99, bare.steady.pongRtt.p99),
    fanOutPerCpu: ratio(sync.saturate.fanOutPerCpuSecond, bare.saturate.fanOutPerCpuSecond),
    rssPerConnection: ratio(sync.rssPerIdleConnectionKb, bare.rssPerIdleConnectionKb),
    saturationFanOut: ratio(sync.saturate.fanOutPerSecond, bare.saturate.fanOutPerSecond),
    saturationFanOutPerCpu: ratio(sync.saturate.fanOutPerCpuSecond, bare.saturate.fanOutPerCpuSecond),
    steadyP50: ratio(sync.steady.latency.p50, bare.steady.latency.p50),
    steadyP99: ratio(sync.steady.latency.p99, bare.steady.latency.p99),
    saturationP99: ratio(sync.saturate.latency.p99, bare.saturate.latency.p99),
    cpuPerFrame: ratio(sync.saturate.serverCpuMicrosPerFrame, bare.saturate.serverCpuMicrosPerFrame),
  };
}

/** Issue 16's targets, at each client count of 10,000 and more where sync and baseline ran. */
function scaleTargets(results: ScenarioResult[]): Target[] {
  const verdict = (ok: boolean): Target["verdict"] => (ok ? "met" : "missed");
  return allRatios(results)
    .filter((ratio) => ratio.clients >= 10_000)
    .flatMap((ratio) => {
      const at = `at ${number(ratio.clients)}${ratio.pair > 1 ? ` (pair ${ratio.pair})` : ""}`;
      const single = results.filter((result) => result.scenario === "single" && result.clients === ratio.clients)[ratio.pair - 1]!;
      const scrape = single.steady.scrape;
      return [
        { target: `fan-out p99 ≤ 1.5× bare ws (steady) ${at}`, measured: `${ratio.fanOutP99}×`, verdict: verdict(ratio.fanOutP99 <= 1.5) },
        { target: `pong RTT p99 ≤ 1.5× bare ws (steady) ${at}`, measured: `${ratio.pongP99}×`, verdict: verdict(ratio.pongP99 <= 1.5) },
        { target: `fan-out per server CPU-s ≥ 1.0× bare ws (saturation) ${at}`, measured: `${ratio.fanOutPerCpu}×`, verdict: verdict(ratio.fanOutPerCpu >= 1.0) },
        {
          target: `/metrics scrape costs the event loop ≤ 5 ms ${at}`,
          measured: scrape ? `${scrape.eventLoopCostMs} ms (noise floor ${scrape.quietMaxMs} ms)` : "–",
          verdict: scrape ? verdict(scrape.eventLoopCostMs <= 5) : ("not run" as const),
        },
      ];
    });
}

export function targets(results: ScenarioResult[]): Target[] {
  const single = results.find((result) => result.scenario === "single");
  const cluster = results.find((result) => result.scenario === "cluster");
  const ratio = allRatios(results)[0];
  const verdict = (ok: boolean | undefined): Target["verdict"] => (ok === undefined ? "not run" : ok ? "met" : "missed");
  const at = single ? ` at ${number(single.clients)}` : "";
  return [
    ...scaleTargets(results),
    {
      target: "fan-out p99 ≤ 50 ms at 20k clients on one process (steady)",
      measured: single ? `${single.steady.latency.p99} ms${at}` : "–",
      verdict: verdict(single && single.steady.latency.p99 <= 50),
      note: single && single.clients < 19_500 ? "measured below 20k: see --large" : undefined,
    },
    {
      target: "≤ 30 KB RSS per idle connection",
      measured: single ? `${single.rssPerIdleConnectionKb} KB` : "–",
      verdict: verdict(single && single.rssPerIdleConnectionKb <= 30),
    },
    {
      target: "≥ 0.7× the bare-ws baseline's throughput (saturation fan-out/s)",
      measured: ratio ? `${ratio.saturationFanOut}×` : "–",
      verdict: verdict(ratio ? ratio.saturationFanOut >= 0.7 : undefined),
    },
    {
      target: "the same, per second of server CPU (contention taken out)",
      measured: ratio ? `${ratio.saturationFanOutPerCpu}×` : "–",
      verdict: verdict(ratio ? ratio.saturationFanOutPerCpu >= 0.7 : undefined),
    },
    {
      target: "cross-node fan-out p99 ≤ 100 ms (steady)",
      measured: cluster ? `${cluster.steady.crossNode.p99} ms at ${number(cluster.clients)}` : "–",
      verdict: verdict(cluster && cluster.steady.crossNode.p99 <= 100),
    },
  ];
}

function resultsTable(results: ScenarioResult[]): string[] {
  const lines = [
    "| scenario | clients / rooms | connect+join /s | RSS per idle conn | steady: commands/s → fan-out/s | steady p50 / p99 / max | cross-node p99 | pong RTT p99 | /metrics scrape cost | server CPU (steady) | loop lag p99 | GC pauses (steady: n / max) | saturation fan-out/s | saturation p99 | sat. fan-out per server CPU-s | machine CPU pressure (steady / sat.) | load average (start → end) |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  const seen = new Map<string, number>();
  for (const result of results) {
    const { steady, saturate } = result;
    // A repeated scenario (an interleaved run) is numbered: its row pairs with that ratio line.
    const key = `${result.scenario} ${result.clients}`;
    const run = (seen.get(key) ?? 0) + 1;
    seen.set(key, run);
    lines.push(
      `| ${label(result)}${run > 1 ? ` (run ${run})` : ""} | ${number(result.clients)} / ${number(result.rooms)} | ${number(result.connect.perSecond)} | ${result.rssPerIdleConnectionKb} KB ` +
        `| ${number(steady.commandsPerSecond)} → ${number(steady.fanOutPerSecond)} | ${steady.latency.p50} / ${steady.latency.p99} / ${steady.latency.max} ms ` +
        `| ${result.nodes > 1 ? `${steady.crossNode.p99} ms` : "–"} | ${steady.pongRtt.p99} ms | ${steady.scrape ? `${steady.scrape.eventLoopCostMs} ms` : "–"} ` +
        `| ${cores(steady.serverCpuPercent)} | ${lag(steady)} ms | ${steady.gc ? `${steady.gc.scavenges + steady.gc.markCompacts} / ${steady.gc.maxPauseMs} ms` : "–"} ` +
        `| ${number(saturate.fanOutPerSecond)} | ${saturate.latency.p99} ms | ${number(saturate.fanOutPerCpuSecond)} | ${pressure(steady)} / ${pressure(saturate)} ` +
        `| ${result.loadAverage.before.split(",")[0]} → ${result.loadAverage.after.split(",")[0]} |`,
    );
  }
  return lines;
}

function healthLines(results: ScenarioResult[]): string[] {
  return results.map((result) => {
    const phases = { steady: result.steady, saturate: result.saturate };
    const parts = Object.entries(phases).map(([name, phase]) => {
      const errors = Object.entries(phase.errors).map(([key, count]) => `${key}×${count}`).join(", ") || "none";
      return `${name}: missing receipts ${phase.missingReceipts}, late (after the effect instant) ${phase.lateReceiptsPercent} %, RESYNC ${phase.resyncs}, errors ${errors}, generators ${phase.generatorCpuPercent} % CPU (lag p99 ${phase.generatorLagP99Ms.toFixed(1)} ms), server CPU ${cores(phase.serverCpuPercent)}`;
    });
    const { connect } = result;
    return (
      `- ${label(result)}: connect ${number(connect.opened)} ok / ${connect.failed} failed in ${connect.seconds} s ` +
      `(server CPU ${number(connect.serverCpuMicrosPerConnection)} µs per connect+join); ${parts.join("; ")}`
    );
  });
}

function stallLine(result: ScenarioResult): string {
  const phase = (name: string, { stalls }: PhaseResult) => {
    if (!stalls) return `${name}: –`;
    const max = stalls.max ? `, longest ${stalls.max.ms} ms (on-CPU ${stalls.max.onCpuMs} / run-queue ${stalls.max.waitMs} ms)` : "";
    return `${name}: ${stalls.count} stalls, ${stalls.onCpuMs} ms on-CPU / ${stalls.waitMs} ms run-queue in all${max}`;
  };
  return `- ${label(result)}: ${phase("steady", result.steady)}; ${phase("saturate", result.saturate)}`;
}

/** Frames per second by type (mean payload bytes), pings, and the traced system calls of a phase. */
function wireLine(result: ScenarioResult): string {
  const phase = (name: string, { wire }: PhaseResult) => {
    const frames = Object.entries(wire.frames).map(([type, count]) => `${type} ${number(count.perSecond)}/s (${count.meanBytes} B)`).join(", ");
    const calls = wire.syscalls
      ? `; syscalls ${Object.entries(wire.syscalls).slice(0, 6).map(([call, count]) => `${call} ${number(count.perSecond)}/s × ${count.meanMicros} µs`).join(", ")}; writes per frame out ${wire.writesPerFrame}`
      : "";
    return `${name}: ${frames}, pings ${number(wire.pingsPerSecond)}/s; server CPU per frame out ${wire.userMicrosPerFrame} µs user + ${wire.systemMicrosPerFrame} µs kernel${calls}`;
  };
  return `- ${label(result)}: ${phase("steady", result.steady)}; ${phase("saturate", result.saturate)}`;
}

function profileLines(name: string, phase: string, summary: ProfileSummary): string[] {
  return [
    `- ${name}, ${phase} (${summary.seconds.toFixed(1)} s, busy ${summary.busyPercent} % of wall time): ` +
      summary.byArea.slice(0, 8).map(({ area, percent }) => `${area} ${percent} %`).join(", "),
    ...summary.top.slice(0, 10).map(({ fn, percent }) => `    ${percent.toFixed(1).padStart(5)} %  ${fn}`),
    "    including callees (this repository's functions):",
    ...summary.topInclusive.slice(0, 8).map(({ fn, percent }) => `    ${percent.toFixed(1).padStart(5)} %  ${fn}`),
  ];
}

export function render(results: ScenarioResult[], options: BenchOptions, load: { before: string; after: string }): string {
  const lines = ["", "## Load benchmark", "", ...options.notes.map((note) => `> ${note}`), "", ...resultsTable(results), ""];
  for (const ratio of allRatios(results)) {
    const sized = (scenario: string) => results.filter((result) => result.clients === ratio.clients && result.scenario === scenario)[ratio.pair - 1]!;
    const pair = [sized("single"), sized("baseline")];
    lines.push(
      `Sync ÷ bare-ws baseline at ${number(ratio.clients)}${ratio.pair > 1 ? `, pair ${ratio.pair}` : ""} (load ${pair.map((result) => result.loadAverage.before.split(",")[0]).join(" / ")}): fan-out p99 ${ratio.fanOutP99}×, pong RTT p99 ${ratio.pongP99}×, ` +
        `saturation fan-out per server CPU-second ${ratio.fanOutPerCpu}×, RSS per connection ${ratio.rssPerConnection}×; saturation fan-out ${ratio.saturationFanOut}×, steady p50 ${ratio.steadyP50}×, ` +
        `saturation p99 ${ratio.saturationP99}×, server CPU per frame ${ratio.cpuPerFrame}×`,
      "",
    );
  }
  lines.push("| target | measured | verdict |", "|---|---|---|");
  for (const row of targets(results)) lines.push(`| ${row.target} | ${row.measured} | ${row.verdict}${row.note ? ` (${row.note})` : ""} |`);
  lines.push("", "Health:", ...healthLines(results), "");
  const stalled = results.filter((result) => result.steady.stalls);
  if (stalled.length > 0) lines.push("Event-loop stalls over 20 ms inside the server (--trace-stalls; on-CPU = its own work, run-queue = waiting for a CPU):", ...stalled.map(stallLine), "");
  lines.push("On the wire, per second (frames by type with mean payload bytes; system calls of the first server with --trace-syscalls):", ...results.map(wireLine), "");
  const profiled = results.filter((result) => result.profiles.steady || result.profiles.saturate);
  if (profiled.length > 0) {
    lines.push(
      "CPU profile of the (first) server process, self time (wall-clock samples: on a starved machine, time spent",
      "waiting for a CPU is charged to where the thread resumes, mostly syscalls such as writev):",
    );
    for (const result of profiled) {
      if (result.profiles.steady) lines.push(...profileLines(label(result), "steady", result.profiles.steady));
      if (result.profiles.saturate) lines.push(...profileLines(label(result), "saturation", result.profiles.saturate));
    }
    lines.push(`  raw profiles (open in Chrome DevTools): ${profiled.flatMap((result) => result.profiles.files).join(", ")}`, "");
  }
  lines.push(`Machine load (uptime): before ${load.before}; after ${load.after}. Figures on a shared 2-core machine are noisy.`);
  return lines.join("\n");
}
