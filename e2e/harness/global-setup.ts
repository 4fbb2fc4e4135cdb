import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { WEB_DIR } from "./paths.js";

/** Builds the web app once for the whole run, unless the existing build is up to date. */
export default function setup(): void {
  if (process.env.E2E_SKIP_BUILD === "1") return;
  const result = spawnSync(process.execPath, [join(WEB_DIR, "scripts/build-if-stale.mjs")], {
    cwd: WEB_DIR,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed");
}
