#!/usr/bin/env node
// Runs `next build` when apps/web has no production build or a source it depends on changed since
// the last one. `npm start -w @sync-beats/web` runs this first, so a fresh clone builds once
// (1–2 minutes on 2 cores) and later starts are immediate. No "[web]" prefix of its own: the
// root `npm start` (concurrently) already puts one before every line of this app.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = resolve(webDir, "../..");
const buildId = join(webDir, ".next", "BUILD_ID");

const inputs = [
  join(webDir, "src"),
  join(webDir, "public"),
  join(webDir, "next.config.mjs"),
  join(webDir, "package.json"),
  join(webDir, "tsconfig.json"),
  join(repoRoot, "packages/protocol/src"),
  join(repoRoot, "packages/sync-engine/src"),
  join(repoRoot, "package-lock.json"),
];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function isStale() {
  if (!existsSync(buildId)) return "no build yet";
  const builtAt = statSync(buildId).mtimeMs;
  const changed = inputs.find((path) => newestMtime(path) > builtAt);
  return changed ? `changed since last build: ${changed}` : null;
}

const reason = process.env.FORCE_BUILD === "1" ? "FORCE_BUILD=1" : isStale();
if (reason) {
  console.log(`building the web app (${reason})`);
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  const result = spawnSync(process.execPath, [nextBin, "build", "--webpack"], {
    cwd: webDir,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  process.exit(result.status ?? 1);
} else {
  console.log("web app: production build is up to date");
}
