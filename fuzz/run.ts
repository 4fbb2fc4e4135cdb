/**
 * `npm run fuzz`: every fuzz property of the repo at full size, fixed seeds, ≥ 100k generated
 * inputs in all. Prints what ran; on a failure prints the seed, the shrunk counterexample and the
 * reason, and exits 1 (pin the seed as a named regression test, see STYLE.md).
 *
 *   npm run fuzz                 # everything
 *   npm run fuzz -- --only sync  # suites whose name starts so (sync, sync-ws, api-sqlite, api-postgres)
 *   npm run fuzz -- --scale 0.1  # a tenth of the inputs
 *   npm run fuzz -- --seed 42    # other seeds (the default ones are the CI's)
 */
import fc from "fast-check";
import { suites } from "./suites.js";

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const only = flag("only");
const scale = Number(flag("scale") ?? 1);
const seedBase = flag("seed") === undefined ? undefined : Number(flag("seed"));

let failed = false;
const rows: string[][] = [];
const started = performance.now();
for (const suite of suites) {
  if (only && !suite.name.startsWith(only)) continue;
  if (suite.skip) {
    console.log(`- ${suite.name}: skipped (${suite.skip})`);
    continue;
  }
  const target = Math.ceil(suite.targetInputs * scale);
  await suite.setup?.();
  const suiteStart = performance.now();
  let runs = 0;
  let seeds = 0;
  const before = suite.inputs();
  for (let seed = seedBase ?? suite.seed; suite.inputs() - before < target; seed++) {
    seeds++;
    const result = await fc.check(suite.property(), { seed, numRuns: suite.runsPerSeed, endOnFailure: true });
    runs += result.numRuns;
    if (result.failed) {
      failed = true;
      const cause = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
      console.error(`\n✗ ${suite.name} failed: seed ${seed}, path ${result.counterexamplePath}`);
      console.error(`  counterexample: ${fc.stringify(result.counterexample).slice(0, 4_000)}`);
      console.error(`  ${cause.slice(0, 4_000)}`);
      break;
    }
  }
  await suite.teardown?.();
  const seconds = (performance.now() - suiteStart) / 1000;
  const inputs = suite.inputs() - before;
  rows.push([suite.name, String(seeds), String(runs), String(inputs), `${Math.round(inputs / seconds)}/s`, seconds.toFixed(1)]);
  console.log(`✓ ${suite.name}: ${inputs} inputs in ${runs} runs over ${seeds} seeds (${seconds.toFixed(1)} s) ${suite.figures()}`);
}

const header = ["suite", "seeds", "runs", "inputs", "rate", "seconds"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
console.log(`\n${line(header)}\n| ${widths.map((w) => "-".repeat(w)).join(" | ")} |\n${rows.map(line).join("\n")}`);
const total = rows.reduce((sum, r) => sum + Number(r[3]), 0);
console.log(`\n${total} generated inputs in ${((performance.now() - started) / 1000).toFixed(1)} s${failed ? " — FAILED" : ""}`);
process.exit(failed ? 1 : 0);
