/**
 * `npm run bench:attribute -- bench-results/load-….json`: for every profiled scenario of a
 * `bench:load` run, the steady phase's CPU per frame out split over the server's parts (see
 * attribution.ts), the sync server's parts beside the baseline's.
 */
import { readFileSync } from "node:fs";
import { type PartCost, attribute } from "./attribution.js";
import type { CpuProfile } from "./profile.js";
import type { ScenarioResult } from "./scenario-result.js";

const file = process.argv[2];
if (!file) throw new Error("usage: npm run bench:attribute -- <bench:load results JSON>");
const { results } = JSON.parse(readFileSync(file, "utf8")) as { results: ScenarioResult[] };

const columns: { label: string; parts: PartCost[] }[] = [];
for (const [index, result] of results.entries()) {
  const profileFile = result.profiles.files.find((name) => name.endsWith("-steady.cpuprofile"));
  if (!profileFile) continue;
  const { userMicrosPerFrame, systemMicrosPerFrame } = result.steady.wire;
  const profile = JSON.parse(readFileSync(profileFile, "utf8")) as CpuProfile;
  const label = `${index + 1}. ${result.server} ${result.clients} (${userMicrosPerFrame} + ${systemMicrosPerFrame} µs)`;
  columns.push({ label, parts: attribute(profile, userMicrosPerFrame + systemMicrosPerFrame) });
}
if (columns.length === 0) throw new Error(`${file} holds no steady-phase profile (run bench:load without --no-profile)`);

const parts = [...new Set(columns.flatMap((column) => column.parts.map((cost) => cost.part)))];
const cell = (cost: PartCost | undefined) =>
  cost ? `${cost.microsPerFrame.toFixed(1)} (${cost.percent} %${cost.socketWriteMicrosPerFrame > 0 ? `, in socket writes ${cost.socketWriteMicrosPerFrame.toFixed(1)}` : ""})` : "–";
console.log("steady phase, µs of server CPU (user + kernel) per frame out, by part (% of busy samples):");
console.log(`| part | ${columns.map((column) => column.label).join(" | ")} |`);
console.log(`|---|${columns.map(() => "---").join("|")}|`);
for (const part of parts) console.log(`| ${part} | ${columns.map((column) => cell(column.parts.find((cost) => cost.part === part))).join(" | ")} |`);
