/**
 * `npm run bench:load`: the sync server under C clients in R rooms, the same load on a bare `ws`
 * server as the baseline, two sync processes over Redis, SYNC_WORKERS=2 on one port, and two
 * sync processes over a Redis Cluster; at each client count asked for. Prints tables, writes JSON
 * under bench-results/. See options.ts for the flags.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { type RunningRedisCluster, redisClusterUnavailable, startRedisCluster } from "@sync-beats/sync/testing";
import { forClients, parseOptions } from "./options.js";
import { cpuPressureAvg10, ensureRedis, killChildren, REPO_ROOT, sleep } from "./processes.js";
import { allRatios, render, targets } from "./report.js";
import { runScenario, type SharedStores } from "./scenario.js";
import type { ScenarioResult } from "./scenario-result.js";

/** PSI "some avg10" below which the machine counts as quiet enough to measure. */
const QUIET_PRESSURE_PERCENT = 30;

const options = parseOptions(process.argv.slice(2));
options.outDir = resolve(REPO_ROOT, options.outDir);
let redisCluster: RunningRedisCluster | null = null;
process.on("exit", () => {
  killChildren();
  for (const node of redisCluster?.nodes ?? []) node.process.kill("SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    killChildren();
    process.exit(130);
  });
}

const uptime = () => loadavg().map((value) => value.toFixed(2)).join(", ");
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
mkdirSync(options.outDir, { recursive: true });
for (const note of options.notes) console.log(`note: ${note}`);
const loadBefore = uptime();

const stores: SharedStores = { redisUrl: null, clusterSeeds: null };
if (options.scenarios.includes("cluster") || options.scenarios.includes("workers")) {
  const redis = await ensureRedis(options.redisUrl);
  stores.redisUrl = redis.url;
  if (redis.started) console.log(`note: ${options.redisUrl} did not answer; started redis-server at ${redis.url}`);
}
if (options.scenarios.includes("redis-cluster")) {
  const unavailable = await redisClusterUnavailable();
  if (unavailable) {
    console.log(`note: ${unavailable.replace(/: skipping.*/, "")}: the redis-cluster scenario is left out`);
    options.scenarios = options.scenarios.filter((name) => name !== "redis-cluster");
  } else {
    redisCluster = await startRedisCluster();
    stores.clusterSeeds = redisCluster.seeds;
    console.log(`note: started a Redis Cluster (3 masters, 3 replicas) on ports ${redisCluster.nodes.map((node) => node.port).join(", ")}`);
  }
}

const results: ScenarioResult[] = [];
const failures: { scenario: string; error: string }[] = [];
/** Other work on this shared machine skews every figure: optionally wait for a quieter moment. */
async function waitForQuiet(): Promise<void> {
  const deadline = performance.now() + options.quietWaitSeconds * 1000;
  let pressure = cpuPressureAvg10();
  while (pressure !== null && pressure > QUIET_PRESSURE_PERCENT && performance.now() < deadline) {
    console.log(`  waiting for a quieter machine: CPU pressure ${pressure} % over the last 10 s`);
    await sleep(5_000);
    pressure = cpuPressureAvg10();
  }
}

const planned = options.clientCounts.flatMap((clients) => options.scenarios.map((name) => ({ name, options: forClients(options, clients) })));
for (const [order, scenario] of planned.entries()) {
  if (options.quietWaitSeconds > 0) await waitForQuiet();
  const started = performance.now();
  const sized = scenario.options;
  console.log(`▶ ${scenario.name}: ${sized.clients.toLocaleString("en")} clients in ${sized.rooms.toLocaleString("en")} rooms, ${sized.generators} generator processes (load ${uptime()})…`);
  try {
    // A scenario may run twice at one size (pairs: single,baseline,baseline,single): its place in
    // the run keeps its profile files apart.
    const result = await runScenario(scenario.name, sized, stores, `${stamp}-${order + 1}`);
    results.push(result);
    const { steady, saturate } = result;
    console.log(
      `  done in ${((performance.now() - started) / 1000).toFixed(0)} s: steady p99 ${steady.latency.p99} ms, ` +
        `saturation ${saturate.fanOutPerSecond.toLocaleString("en")} fan-out/s, ${result.rssPerIdleConnectionKb} KB per idle connection`,
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    failures.push({ scenario: `${scenario.name} at ${sized.clients}`, error: message });
    console.error(`  ${scenario.name} failed: ${message}`);
  }
}

await redisCluster?.stop();
const loadAfter = uptime();
console.log(render(results, options, { before: loadBefore, after: loadAfter }));
const file = join(options.outDir, `load-${stamp}.json`);
const machine = { cpus: cpus().length, node: process.version, loadBefore, loadAfter };
writeFileSync(file, JSON.stringify({ options, machine, results, ratios: allRatios(results), targets: targets(results), failures }, null, 2));
console.log(`\nresults: ${file}`);
process.exit(failures.length > 0 ? 1 : 0);
