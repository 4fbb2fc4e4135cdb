// Starts every server of the monorepo in one terminal; Ctrl-C stops them all.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import concurrently from "concurrently";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const apps = [
  { name: "api", entry: "apps/api/src/main.ts", color: "cyan" },
  { name: "sync", entry: "apps/sync/src/main.ts", color: "magenta" },
  { name: "web", entry: "apps/web/app", color: "green" },
].filter((app) => existsSync(join(root, app.entry)));

const { result } = concurrently(
  apps.map((app) => ({
    name: app.name,
    prefixColor: app.color,
    command: `npm run start --silent -w @sync-beats/${app.name}`,
    env: { NEXT_TELEMETRY_DISABLED: "1" },
  })),
  { killOthersOn: ["failure"], cwd: root },
);

result.then(
  () => process.exit(0),
  () => process.exit(1),
);
