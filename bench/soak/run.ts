/**
 * `npm run bench:soak`: N clients for T minutes against one in-memory sync server (issue 8).
 * Samples the server's /metrics, /healthz and /proc every few seconds; accounts for every
 * command broadcast and pong; prints a table, writes JSON and a PNG under bench-results/.
 * See options.ts for the flags.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { cpuPressureAvg10, httpText, killChildren, REPO_ROOT, sampleProc, type ServerProcess, sleep, startSyncProcess } from "../load/processes.js";
import { launchBrowser, svgToPng } from "../sync/browser.js";
import { Fleet } from "./fleet.js";
import { parseOptions } from "./options.js";
import { svgPlot } from "./plot.js";
import { queueFigures } from "./queue-report.js";
import { type FleetFigures, markdownTable, type Phase, type Sample, summarise } from "./report.js";
import { serverMetrics } from "./server-metrics.js";

/** How long the end of the run waits for broadcasts and pongs still on their way. */
const DRAIN_MS = 12_000;
/** A starved server may answer /metrics late; a lost sample is counted, not fatal. */
const SCRAPE_TIMEOUT_MS = 4_000;

const options = parseOptions(process.argv.slice(2));
const outDir = resolve(REPO_ROOT, options.outDir);
process.on("exit", killChildren);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    killChildren();
    process.exit(130);
  });
}

const load = () => `load average: ${loadavg().map((value) => value.toFixed(2)).join(", ")}`;
const startedAt = new Date();
const loadAtStart = load();
const benchLoop = monitorEventLoopDelay({ resolution: 10 });
benchLoop.enable();
console.log(`soak: ${options.clients} clients in ${options.rooms} rooms for ${options.minutes} min, churn ${options.churnPercentPerMinute} %/min; ${loadAtStart}`);

// The queue's adds carry track grants signed with the server's secret, the way the API signs them.
const grantSecret = randomBytes(32).toString("base64url");
const server: ServerProcess = await startSyncProcess({ env: { SYNC_SECRET: grantSecret }, inspect: false, traceGc: false });
const serverReadyAt = performance.now();
const fleet = new Fleet({
  url: server.url,
  clients: options.clients,
  rooms: options.rooms,
  commandGapMs: [options.commandGapSeconds[0] * 1000, options.commandGapSeconds[1] * 1000],
  churnPercentPerMinute: options.churnPercentPerMinute,
  queue: { grantSecret, gapMs: [options.queueGapSeconds[0] * 1000, options.queueGapSeconds[1] * 1000] },
});
const samples: Sample[] = [];

async function sample(phase: Phase): Promise<Sample> {
  const [metrics, healthy] = await Promise.all([
    httpText(`${server.httpUrl}/metrics`, SCRAPE_TIMEOUT_MS).then(serverMetrics, () => null),
    httpText(`${server.httpUrl}/healthz`, SCRAPE_TIMEOUT_MS).then(() => true, () => false),
  ]);
  const taken: Sample = {
    tMs: performance.now() - serverReadyAt,
    phase,
    procRssBytes: server.alive() ? sampleProc(server.pid).rssKb * 1024 : Number.NaN,
    server: metrics,
    healthy,
    joined: fleet.joined,
    commandsDropped: fleet.commands.counts.dropped,
    pongsDropped: fleet.pongs.counts.dropped,
    resyncs: fleet.counters.resyncs,
    divergences: fleet.counters.divergences,
    cpuPressurePercent: cpuPressureAvg10(),
  };
  samples.push(taken);
  return taken;
}

await sample("idle");
const connect = await fleet.connectAll();
console.log(`  connected ${connect.opened} (${connect.failed} failed) in ${connect.seconds.toFixed(1)} s`);
const soakStartMs = performance.now() - serverReadyAt;
fleet.start();
const soakEndsAt = performance.now() + options.minutes * 60_000;
let nextReport = performance.now() + 60_000;
for (let next = performance.now(); next < soakEndsAt; ) {
  const taken = await sample("soak");
  if (!server.alive()) throw new Error(`the sync server exited during the soak:\n${server.output()}`);
  if (performance.now() >= nextReport) {
    nextReport += 60_000;
    const lag = taken.server ? `${taken.server.lagP99Ms.toFixed(2)} ms` : "–";
    console.log(
      `  ${((taken.tMs - soakStartMs) / 60_000).toFixed(1)} min: ${taken.joined} joined, RSS ${(taken.procRssBytes / 2 ** 20).toFixed(1)} MB, ` +
        `loop lag p99 ${lag}, dropped ${taken.commandsDropped} broadcasts / ${taken.pongsDropped} pongs, RESYNC ${taken.resyncs}, ` +
        `timeline disagreements ${taken.divergences}`,
    );
  }
  next += options.sampleSeconds * 1000;
  await sleep(Math.min(next, soakEndsAt) - performance.now());
}
await fleet.drain(DRAIN_MS);
await fleet.queue.finalCheck();
await sample("drained");
fleet.close();
await sleep(3_000);
await sample("closed");
const serverLog = server.output();
await server.stop();
benchLoop.disable();

const warmupMs = options.warmupMinutes * 60_000;
const summary = summarise(samples, soakStartMs, warmupMs);
const fleetFigures: FleetFigures = {
  connect,
  counters: fleet.counters,
  commands: fleet.commands.counts,
  pongs: fleet.pongs.counts,
  latencyMs: fleet.latency.summaryMs(),
  errors: fleet.errors,
  unexpectedCloses: fleet.unexpectedCloses,
  queue: queueFigures(fleet.queue),
};
const table = markdownTable(options, summary, fleetFigures);
const loadAtEnd = load();
const benchLagP99Ms = Math.max(0, benchLoop.percentile(99) / 1e6 - 10);
console.log(`\n${table}\n`);
console.log(`Measured ${startedAt.toISOString()}; ${loadAtStart} at the start, ${loadAtEnd} at the end; the benchmark's own event loop lag p99 ${benchLagP99Ms.toFixed(1)} ms.`);
for (const drop of [...fleet.commands.drops, ...fleet.pongs.drops, ...fleet.queue.results.drops, ...fleet.queue.broadcasts.drops].slice(0, 5)) console.log(`  dropped: ${drop.key} → clients ${drop.missing.join(", ")}`);
const drifts = [...fleet.resyncRecords.map((record) => ({ kind: "RESYNC", record })), ...fleet.divergenceRecords.map((record) => ({ kind: "disagreement", record }))];
for (const { kind, record } of drifts.slice(0, 8)) {
  console.log(`  ${kind}: room ${record.room} client ${record.client}, client − server ${record.driftMs.toFixed(0)} ms, ${(record.sinceJoinMs / 1000).toFixed(1)} s after its join`);
}
for (const reason of fleet.invalidFrameReasons) console.log(`  invalid frame from the server: ${reason}`);
if (serverLog.trim()) console.log(`server log (warn and above, last 4 KB):\n${serverLog}`);

mkdirSync(outDir, { recursive: true });
const stamp = startedAt.toISOString().replace(/[:.]/g, "-");
const jsonPath = join(outDir, `soak-${stamp}.json`);
const pngPath = join(outDir, `soak-${stamp}.png`);
const machine = { cpus: cpus().length, node: process.version, loadAtStart, loadAtEnd, benchLagP99Ms };
const records = { drops: { commands: fleet.commands.drops, pongs: fleet.pongs.drops }, resyncs: fleet.resyncRecords, disagreements: fleet.divergenceRecords, invalidFrames: fleet.invalidFrameReasons };
writeFileSync(jsonPath, JSON.stringify({ startedAt, argv: process.argv.slice(2), options, machine, summary, fleet: fleetFigures, records, serverLog, table, samples }, null, 1));
console.log(`wrote ${jsonPath}`);
try {
  const browser = await launchBrowser(options.chromium);
  try {
    const plot = svgPlot(samples, summary, soakStartMs, warmupMs);
    await svgToPng(browser, plot.svg, plot.width, plot.height, pngPath);
    console.log(`wrote ${pngPath}`);
  } finally {
    await browser.close();
  }
} catch (error) {
  console.error(`no PNG (${options.chromium}): ${error instanceof Error ? error.message : String(error)}`);
}
process.exit(0);
