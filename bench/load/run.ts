/**
 * `npm run bench:load`: the sync server under C clients in R rooms, the same load on a bare `ws`
 * server as the baseline, and two sync processes over Redis. Prints a table, writes JSON under
 * bench-results/. See options.ts for the flags.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseOptions } from "./options.js";
import { cpuPressureAvg10, ensureRedis, killChildren, REPO_ROOT, sleep } from "./processes.js";
import { ratios, render, targets } from "./report.js";
import { runScenario, type ScenarioResult } from "./scenario.js";

/** PSI "some avg10" below which the machine counts as quiet enough to measure. */
const QUIET_PRESSURE_PERCENT = 30;

const options = parseOptions(process.argv.slice(2));
options.outDir = resolve(REPO_ROOT, options.outDir);
process.on("exit", killChildren);
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

let redisUrl: string | null = null;
if (options.scenarios.includes("cluster")) {
  const redis = await ensureRedis(options.redisUrl);
  redisUrl = redis.url;
  if (redis.started) console.log(`note: ${options.redisUrl} did not answer; started redis-server at ${redis.url}`);
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

for (const scenario of options.scenarios) {
  if (options.quietWaitSeconds > 0) await waitForQuiet();
  const started = performance.now();
  console.log(`▶ ${scenario}: ${options.clients.toLocaleString("en")} clients in ${options.rooms.toLocaleString("en")} rooms, ${options.generators} generator processes…`);
  try {
    const result = await runScenario(scenario, options, redisUrl, stamp);
    results.push(result);
    const { steady, saturate } = result;
    console.log(
      `  done in ${((performance.now() - started) / 1000).toFixed(0)} s: steady p99 ${steady.latency.p99} ms, ` +
        `saturation ${saturate.fanOutPerSecond.toLocaleString("en")} fan-out/s, ${result.rssPerIdleConnectionKb} KB per idle connection`,
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    failures.push({ scenario, error: message });
    console.error(`  ${scenario} failed: ${message}`);
  }
}

const loadAfter = uptime();
console.log(render(results, options, { before: loadBefore, after: loadAfter }));
const file = join(options.outDir, `load-${stamp}.json`);
const machine = { cpus: cpus().length, node: process.version, loadBefore, loadAfter };
writeFileSync(file, JSON.stringify({ options, machine, results, ratios: ratios(results), targets: targets(results), failures }, null, 2));
console.log(`\nresults: ${file}`);
process.exit(failures.length > 0 ? 1 : 0);
