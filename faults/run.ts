/**
 * `npm run faults`: scripted fault scenarios against the real servers (child processes).
 * PostgreSQL and Redis scenarios run when TEST_DATABASE_URL / TEST_REDIS_URL are set.
 */
import type { ScenarioResult } from "./lib.js";
import { apiRestart, databaseOutage } from "./api.js";
import { networkDrop } from "./network-drop.js";
import { redisOutage } from "./redis-down.js";
import { syncKill9 } from "./sync-kill9.js";

const { TEST_REDIS_URL, TEST_DATABASE_URL } = process.env;
const skipped = (name: string, why: string) => async (): Promise<ScenarioResult> => ({ name, outcome: "skipped", figures: {}, notes: [why] });
const scenarios: (() => Promise<ScenarioResult>)[] = [
  () => syncKill9(undefined),
  TEST_REDIS_URL ? () => syncKill9(TEST_REDIS_URL) : skipped("sync kill -9 mid-song (redis)", "TEST_REDIS_URL is not set"),
  () => apiRestart(undefined),
  TEST_DATABASE_URL ? () => apiRestart(TEST_DATABASE_URL) : skipped("API kill -9 and restart keeps sessions (postgres)", "TEST_DATABASE_URL is not set"),
  () => databaseOutage(TEST_DATABASE_URL),
  () => redisOutage(TEST_REDIS_URL),
  () => networkDrop(),
];
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;

const results: ScenarioResult[] = [];
for (const [index, scenario] of scenarios.entries()) {
  if (only && !["sync", "sync", "api", "api", "db", "redis", "drop"][index]!.startsWith(only)) continue;
  const result = await scenario();
  results.push(result);
  console.log(`${result.outcome === "fail" ? "✗" : result.outcome === "skipped" ? "-" : "✓"} ${result.name}: ${result.outcome}`);
  for (const [key, value] of Object.entries(result.figures)) console.log(`    ${key}: ${value}`);
  for (const note of result.notes) console.log(`    note: ${note}`);
}
process.exit(results.some((r) => r.outcome === "fail") ? 1 : 0);
