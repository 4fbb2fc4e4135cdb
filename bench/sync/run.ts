/**
 * `npm run bench:sync`: sync precision benchmark (issue 6). Prints the table, writes JSON + PNG
 * under bench-results/. See README.md in this folder for what is measured and how.
 *
 *   npx tsx bench/sync/run.ts [--clients 6] [--scenarios lan,jitter,asymmetric,spikes]
 *     [--naive all|none|lan,...] [--join-ms 8000] [--seek-ms 5000] [--warmup-ms 3000]
 *     [--settle-ms 1000] [--stagger-ms 300] [--seed 1] [--no-check] [--chromium /usr/bin/chromium] [--out bench-results]
 *     [--runs 3] [--busy] [--quick] [--no-isolation] [--chromium-pulse] [--browsers chromium,firefox]
 *   npx tsx bench/sync/run.ts --page room [...]   # through the real room page: room-run.ts
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { describeBenchRoom, launchBenchRoom, type BenchRoom } from "./bench-room.js";
import { checkTap, type TapCheckResult } from "./check-tap.js";
import { startPageServer, type PageServer } from "./page-server.js";
import { engineTable } from "./engine-report.js";
import { markdownTable, svgPlot, type ScenarioRow } from "./report.js";
import { repeatedRows, repeatedTable } from "./runs.js";
import { runScenario, worstClientP95, type RunOptions, type RunResult } from "./run-scenario.js";
import { clockShiftMs, SCENARIOS } from "./scenarios.js";
import { startSyncServer, type SyncServerProcess } from "./sync-server.js";
import { runRoomBench } from "./room-run.js";

// --page room: the real room page (issue 17), with its own options (room-run.ts).
const cli = process.argv.slice(2);
if (cli.some((a, i) => a === "--page=room" || (a === "--page" && cli[i + 1] === "room"))) process.exit(await runRoomBench(cli));

const { values: args } = parseArgs({
  options: {
    page: { type: "string", default: "engine" },
    clients: { type: "string", default: "6" },
    scenarios: { type: "string", default: SCENARIOS.map((s) => s.name).join(",") },
    naive: { type: "string", default: "all" },
    "join-ms": { type: "string", default: "8000" },
    "seek-ms": { type: "string", default: "5000" },
    "warmup-ms": { type: "string", default: "3000" },
    "stagger-ms": { type: "string", default: "300" },
    "settle-ms": { type: "string", default: "1000" },
    seed: { type: "string", default: "1" },
    runs: { type: "string", default: "1" },
    quick: { type: "boolean", default: false },
    busy: { type: "boolean", default: false },
    "no-isolation": { type: "boolean", default: false },
    "chromium-pulse": { type: "boolean", default: false },
    browsers: { type: "string" },
    "no-check": { type: "boolean", default: false },
    chromium: { type: "string", default: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
    out: { type: "string", default: "bench-results" },
  },
});

// --quick: a short smoke run (3 clients, LAN only, short phases, no naive run, no chain check).
// Options given on the command line win over these.
if (args.quick) {
  const quick = { clients: "3", scenarios: "lan", naive: "none", "join-ms": "4000", "seek-ms": "3000", "warmup-ms": "1500", "no-check": true };
  for (const [key, value] of Object.entries(quick)) if (!process.argv.some((a) => a === `--${key}` || a.startsWith(`--${key}=`))) Object.assign(args, { [key]: value });
}
const positive = (name: string, value: string | undefined, max: number): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > max) throw new Error(`--${name} must be a number in [0, ${max}]`);
  return n;
};
const options: RunOptions = {
  clients: Math.max(2, Math.round(positive("clients", args.clients, 16))),
  joinPhaseMs: positive("join-ms", args["join-ms"], 120_000),
  seekPhaseMs: positive("seek-ms", args["seek-ms"], 25_000),
  warmupMs: positive("warmup-ms", args["warmup-ms"], 60_000),
  staggerMs: positive("stagger-ms", args["stagger-ms"], 5000),
  seekSettleMs: positive("settle-ms", args["settle-ms"], 10_000),
  seed: Math.round(positive("seed", args.seed, 1e9)),
};
const scenarios = (args.scenarios ?? "").split(",").map((name) => {
  const scenario = SCENARIOS.find((s) => s.name === name.trim());
  if (!scenario) throw new Error(`unknown scenario ${name}; known: ${SCENARIOS.map((s) => s.name).join(", ")}`);
  return scenario;
});
const naiveFor = (name: string) => args.naive === "all" || (args.naive ?? "").split(",").includes(name);

const uptime = (): string => {
  try {
    return execFileSync("uptime", { encoding: "utf8" }).trim();
  } catch {
    return "uptime unavailable";
  }
};

const runs = Math.max(1, Math.round(positive("runs", args.runs, 20)));
// --busy: two busy-loop processes keep both cores loaded for the whole benchmark (issue 17).
const busyLoops: ChildProcess[] = args.busy ? [0, 1].map(() => spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" })) : [];

let room: BenchRoom | null = null;
let sync: SyncServerProcess | null = null;
let pages: PageServer | null = null;
async function cleanup(): Promise<void> {
  for (const loop of busyLoops.splice(0)) loop.kill();
  await room?.close();
  await sync?.stop().catch(() => undefined);
  await pages?.close().catch(() => undefined);
  room = null;
  sync = null;
  pages = null;
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void cleanup().finally(() => process.exit(130)));
}

const startedAt = new Date();
const loadAtStart = uptime();
console.log(`sync precision benchmark: ${options.clients} clients, clock shifts ${Array.from({ length: options.clients }, (_, i) => clockShiftMs(i)).join("/")} ms`);
console.log(`load at start: ${loadAtStart}`);
try {
  pages = await startPageServer(60, !args["no-isolation"]);
  sync = await startSyncServer();
  room = await launchBenchRoom({ requested: args.browsers, clients: options.clients, chromiumPath: args.chromium!, chromiumPulse: args["chromium-pulse"] });
  if (room.note) console.log(room.note);
  for (const line of await describeBenchRoom(room, pages.url, pages.initScriptFor(0))) console.log(line);

  let check: TapCheckResult | null = null;
  if (!args["no-check"]) {
    check = await checkTap(room.browserFor, pages, Array.from({ length: options.clients }, (_, i) => clockShiftMs(i)), 4000);
    console.log(
      `measurement chain (all pages start(when) at one instant, no engine): inter-client p95 ${check.interClientMs.p95.toFixed(3)} ms, max ${check.interClientMs.max.toFixed(3)} ms`,
    );
    for (const [i, client] of check.clients.entries()) {
      const d = client.diagnosis;
      const parts = d
        ? `start(when) ${d.startOffsetFrames.toFixed(1)} frames; analysis − schedule fit ${d.fitsApartAtStartMs.toFixed(2)} → ${d.fitsApartAtEndMs.toFixed(2)} ms; rates ${d.scheduleRatePpm.toFixed(0)} / ${d.analysisRatePpm.toFixed(0)} ppm`
        : "no diagnosis";
      console.log(`  chain c${i}: mean error ${client.meanErrorMs.toFixed(2)} ms; ${parts}`);
    }
  }

  // One run; a sync server that died (it is a shared tree: someone may stop it) is restarted first.
  const attempt = async (scenario: (typeof scenarios)[number], algorithm: "precise" | "naive"): Promise<RunResult | null> => {
    for (let tries = 0; tries < 2; tries += 1) {
      const exited = sync!.exitedWith();
      if (exited !== null) {
        console.log(`  sync server exited (${exited}); restarting`);
        sync = await startSyncServer();
      }
      try {
        const run = await runScenario(room!.browserFor, pages!, sync!.port, scenario, algorithm, options);
        console.log(`  ${scenario.name} ${algorithm.padEnd(7)}: p95 ${run.interClientMs.p95.toFixed(2)} ms, load ${run.loadAfter.map((l) => l.toFixed(1)).join(" ")}`);
        return run;
      } catch (error) {
        console.log(`  ${scenario.name} ${algorithm}: failed (${String(error).slice(0, 200)})`);
      }
    }
    return null;
  };
  const rows: ScenarioRow[] = [];
  const allRuns: RunResult[][] = [];
  for (let run = 0; run < runs; run += 1) {
    if (runs > 1) console.log(`run ${run + 1} of ${runs} (load ${uptime().replace(/.*load average: /, "")})`);
    const thisRun: RunResult[] = [];
    for (const scenario of scenarios) {
      const precise = await attempt(scenario, "precise");
      // The naive baseline and the detailed table come from the first run.
      const naive = run === 0 && naiveFor(scenario.name) ? await attempt(scenario, "naive") : null;
      if (precise) thisRun.push(precise);
      if (precise && run === 0) rows.push({ precise, naive });
    }
    allRuns.push(thisRun);
  }

  const table = markdownTable(rows);
  console.log(`\n${table}\n`);
  const byEngine = room.engines.some((engine) => engine !== "chromium") ? engineTable(rows.map((r) => r.precise)) : null;
  if (byEngine) console.log(`per engine and across engines (precise):\n\n${byEngine}\n`);
  if (runs > 1) console.log(`median and worst of ${runs} runs${args.busy ? " (two busy-loop processes running)" : ""}:\n\n${repeatedTable(repeatedRows(allRuns))}\n`);
  for (const { precise } of rows) {
    const limited = precise.clients.filter((c) => c.limitMs > 0);
    const steady = precise.interClientAfterSeekMs;
    const verdict = (ok: boolean) => (ok ? "met" : "missed");
    const target =
      limited.length > 0
        ? `clients with a ${limited[0]!.limitMs.toFixed(0)} ms limit: median error ${limited.map((c) => c.medianErrorMs.toFixed(1)).join(", ")} ms (target |error| p95 <= limit + 2: ${verdict(limited.every((c) => c.absErrorMs.p95 <= c.limitMs + 2))}; inter-client after seek p95 ${steady.p95.toFixed(2)} vs limit ${precise.interClientLimitMs.toFixed(0)}: ${verdict(steady.p95 <= precise.interClientLimitMs + 2)})`
        : `target p95 <= 3 ms and max <= 10 ms: ${verdict(precise.interClientMs.p95 <= 3 && precise.interClientMs.max <= 10)} (after seek only: ${verdict(steady.p95 <= 3 && steady.max <= 10)})`;
    const glitches = precise.clients.reduce((sum, c) => sum + c.audioGlitches, 0);
    console.log(
      `${precise.scenario}: ${target}; worst client p95 ${worstClientP95(precise).toFixed(2)} ms; seek jump spread ${precise.seekJumpSpreadMs?.toFixed(2) ?? "- (a client never jumped)"} ms; audio glitches ${glitches}`,
    );
  }
  console.log("\nper client (precise): |error| p95, median error = clock estimate error + audio side, silent 5 ms samples, hard re-seeks");
  for (const { precise } of rows) {
    const cells = precise.clients.map((c) => {
      const audio = c.clockErrorMs === null ? null : c.medianErrorMs - c.clockErrorMs;
      return `c${c.client} ${c.absErrorMs.p95.toFixed(1)} | ${c.medianErrorMs.toFixed(1)} = ${c.clockErrorMs?.toFixed(1) ?? "-"} + ${audio?.toFixed(1) ?? "-"} | ${c.silentSamples} | ${c.hardSeeks ?? "-"}`;
    });
    console.log(`${precise.scenario.padEnd(10)} ${cells.join("; ")}`);
  }
  console.log(`load at end: ${uptime()}`);

  const outDir = resolve(args.out!);
  mkdirSync(outDir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, "-");
  const jsonPath = join(outDir, `sync-${stamp}.json`);
  const pngPath = join(outDir, `sync-${stamp}.png`);
  writeFileSync(jsonPath, JSON.stringify({ startedAt, loadAtStart, loadAtEnd: uptime(), options, engines: room.engines, check, table, byEngine, runs: rows }, null, 1));
  const plot = svgPlot(rows);
  await room.browsers[0]!.renderPng(plot.svg, plot.width, plot.height, pngPath);
  console.log(`wrote ${jsonPath}\nwrote ${pngPath}`);
} finally {
  await cleanup();
}
