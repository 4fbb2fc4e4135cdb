// Starts the three servers in one terminal; Ctrl-C stops them all. The web app builds itself on
// first start (and after a source change), so a fresh clone needs nothing else.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import concurrently from "concurrently";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const apps = [
  { name: "api", color: "cyan" },
  { name: "sync", color: "magenta" },
  { name: "web", color: "green" },
];

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
