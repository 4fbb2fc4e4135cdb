/**
 * `npm run bench:sync -- --page room`: the precision benchmark through the real room page
 * (issue 17) and the queue scenario (issue 18). See README.md in this folder.
 *
 *   npx tsx bench/sync/run.ts --page room [--clients 8] [--scenarios lan,jitter,asymmetric,spikes,busy,stalls,queue]
 *     [--runs 1] [--busy] [--quick] [--warmup-ms 3000] [--join-ms 20000] [--seek-ms 15000] [--settle-ms 1000]
 *     [--track-s 300] [--start-timeout-ms 180000] [--seed 1] [--chromium /usr/bin/chromium] [--out bench-results]
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Browser } from "playwright-core";
import buildWebIfStale from "../../e2e/harness/global-setup.js";
import { startStack, type Stack } from "../../e2e/harness/stack.js";
import { launchBrowser } from "./browser.js";
import { buildTapInitScript } from "./browser-bundle.js";
import { openRoomPage, type RoomPage } from "./room-pages.js";
import { runQueueScenario, queueTable, type QueueRunResult } from "./room-queue.js";
import { clockSampleTable } from "./room-clock-report.js";
import { roomTable } from "./room-report.js";
import { runRoomScenario, type RoomBench, type RoomRunResult, type RoomScenario } from "./room-scenario.js";
import { signUpListener, uploadTrack } from "./room-accounts.js";
import { wrappingTimecodeWav } from "./room-timecode.js";
import { repeatedRows, repeatedTable } from "./runs.js";
import { clockShiftMs, SCENARIOS } from "./scenarios.js";
import { startBusyLoops } from "./room-stress.js";

const ROOM_SCENARIOS = ["lan", "jitter", "asymmetric", "spikes", "busy", "stalls", "queue"];
const network = (name: string) => SCENARIOS.find((s) => s.name === name)!;

/** Room rows: the network scenarios, and busy CPUs / audio stalls on LAN links. */
function roomScenario(name: string, allBusy: boolean): RoomScenario {
  if (name === "busy") return { name, network: network("lan"), busy: true, stalls: false };
  if (name === "stalls") return { name, network: network("lan"), busy: allBusy, stalls: true };
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (!scenario) throw new Error(`unknown scenario ${name}; known: ${ROOM_SCENARIOS.join(", ")}`);
  return { name, network: scenario, busy: allBusy, stalls: false };
}

const uptime = (): string => {
  try {
    return execFileSync("uptime", { encoding: "utf8" }).trim();
  } catch {
    return "uptime unavailable";
  }
};

/** Runs room mode with `argv` (the command line minus node and script); resolves with the exit code. */
export async function runRoomBench(argv: readonly string[]): Promise<number> {
  const { values: args } = parseArgs({
    args: [...argv],
    options: {
      page: { type: "string", default: "room" },
      clients: { type: "string", default: "8" },
      scenarios: { type: "string", default: ROOM_SCENARIOS.join(",") },
      runs: { type: "string", default: "1" },
      busy: { type: "boolean", default: false },
      quick: { type: "boolean", default: false },
      "warmup-ms": { type: "string", default: "3000" },
      "join-ms": { type: "string", default: "20000" },
      "seek-ms": { type: "string", default: "15000" },
      "settle-ms": { type: "string", default: "1000" },
      "track-s": { type: "string", default: "300" },
      "start-timeout-ms": { type: "string", default: "180000" },
      seed: { type: "string", default: "1" },
      chromium: { type: "string", default: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
      out: { type: "string", default: "bench-results" },
    },
  });
  // --quick: 4 pages, LAN then the queue, short phases; options given on the command line win.
  if (args.quick) {
    const quick = { clients: "4", scenarios: "lan,queue", "join-ms": "8000", "seek-ms": "6000" };
    for (const [key, value] of Object.entries(quick)) if (!argv.some((a) => a === `--${key}` || a.startsWith(`--${key}=`))) Object.assign(args, { [key]: value });
  }
  const number = (name: keyof typeof args, min: number, max: number): number => {
    const n = Number(args[name]);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number in [${min}, ${max}]`);
    return n;
  };
  const clients = Math.round(number("clients", 2, 12));
  const runs = Math.round(number("runs", 1, 10));
  const trackSeconds = number("track-s", 60, 600);
  const options = {
    warmupMs: number("warmup-ms", 0, 60_000),
    playPhaseMs: number("join-ms", 1000, 240_000),
    seekPhaseMs: number("seek-ms", 1000, 120_000),
    seekSettleMs: number("settle-ms", 0, 10_000),
    seed: Math.round(number("seed", 0, 1e9)),
    startTimeoutMs: number("start-timeout-ms", 10_000, 600_000),
  };
  const names = (args.scenarios ?? "").split(",").map((n) => n.trim()).filter(Boolean);
  const rows = names.filter((n) => n !== "queue").map((n) => roomScenario(n, args.busy!));

  const loadAtStart = uptime();
  console.log(`bench:sync room mode: ${clients} pages through the real room page, scenarios ${names.join(", ")}, ${runs} run(s)${args.busy ? ", two busy loops throughout" : ""}`);
  console.log(`load at start: ${loadAtStart}`);
  let stack: Stack | null = null;
  let browser: Browser | null = null;
  const stopBusy = args.busy ? startBusyLoops() : () => undefined;
  const cleanup = async () => {
    stopBusy();
    await browser?.close().catch(() => undefined);
    await stack?.stop().catch(() => undefined);
    browser = null;
    stack = null;
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  try {
    buildWebIfStale();
    stack = await startStack("roombench");
    const urls = { webUrl: stack.webUrl, apiUrl: stack.apiUrl, syncPort: stack.syncPort };
    browser = await launchBrowser(args.chromium!);
    const initScriptFor = await buildTapInitScript();
    const prefix = `rb${Date.now().toString(36).slice(-6)}`;
    const pages: RoomPage[] = [];
    for (let i = 0; i < clients; i += 1) pages.push(await openRoomPage(browser, initScriptFor, urls, i, clockShiftMs(i), prefix));
    const observerCookie = await signUpListener(urls, `${prefix}_observer`);
    const title = `Timecode ${Math.round(trackSeconds / 60)} min (room bench)`;
    await uploadTrack(pages[0]!, urls, wrappingTimecodeWav(trackSeconds, title), title);
    const bench: RoomBench = { browser, urls, pages, observerCookie, track: { title, durationMs: trackSeconds * 1000 } };
    console.log(`stack up (web ${urls.webUrl}); ${clients} pages signed up; track "${title}" uploaded; clock shifts ${pages.map((p) => p.shiftMs).join("/")} ms, skews ${pages.map((p) => p.skewPpm).join("/")} ppm`);

    const allRuns: RoomRunResult[][] = [];
    const queueRuns: QueueRunResult[] = [];
    for (let run = 0; run < runs; run += 1) {
      const thisRun: RoomRunResult[] = [];
      for (const scenario of rows) {
        try {
          const result = await runRoomScenario(bench, scenario, options);
          console.log(`  run ${run + 1} ${scenario.name}: inter-client p95 ${result.interClientMs.p95.toFixed(2)} ms, max ${result.interClientMs.max.toFixed(2)} ms; load ${result.loadBefore[0]!.toFixed(1)} → ${result.loadAfter[0]!.toFixed(1)}`);
          // The row at once too: a run stopped by its time limit keeps what it measured.
          console.log(roomTable([result]));
          console.log(clockSampleTable(result.clockSamples, result.proxyProcess.nice, result.proxyProcess.lateMs.p95));
          thisRun.push(result);
        } catch (error) {
          console.log(`  run ${run + 1} ${scenario.name}: failed (${String(error).slice(0, 300)})`);
        }
      }
      if (names.includes("queue")) {
        try {
          const result = await runQueueScenario(bench, args.busy!, options.seed);
          console.log(`  run ${run + 1} queue: boundary gap p95 ${result.boundaries.map((b) => b.gapP95Ms.toFixed(2)).join(" / ")} ms; load ${result.loadBefore.toFixed(1)} → ${result.loadAfter.toFixed(1)}`);
          queueRuns.push(result);
        } catch (error) {
          console.log(`  run ${run + 1} queue: failed (${String(error).slice(0, 300)})`);
        }
      }
      allRuns.push(thisRun);
    }
    const allResults = allRuns.flat();
    if (allResults.length > 0) console.log(`\n${roomTable(allResults)}\n`);
    if (runs > 1 && allResults.length > 0) console.log(`median and worst of ${runs} runs${args.busy ? " (two busy-loop processes running)" : ""}:\n\n${repeatedTable(repeatedRows(allRuns))}\n`);
    if (queueRuns.length > 0) console.log(`queue (server-owned, advancing on its own):\n\n${queueTable(queueRuns)}\n`);
    console.log(`load at end: ${uptime()}`);
    const outDir = resolve(args.out!);
    mkdirSync(outDir, { recursive: true });
    const path = join(outDir, `sync-room-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
    writeFileSync(path, JSON.stringify({ loadAtStart, loadAtEnd: uptime(), options, clients, runs: allRuns, queue: queueRuns }, null, 1));
    console.log(`wrote ${path}`);
    return allResults.length + queueRuns.length > 0 ? 0 : 1;
  } finally {
    await cleanup();
  }
}
