/**
 * What one `/metrics` scrape costs the sync server's event loop, as CPU time of its main thread
 * (`/proc/thread-self/schedstat`): unlike the wall-clock probe in `bench:load`, this does not grow
 * when the thread waits for a CPU, so it reads the same on a busy machine. The real server runs in
 * this process with `--fds` descriptors open (/dev/null stands in for sockets: the scrape's only
 * per-descriptor work is counting /proc/self/fd), and is scraped over HTTP; the figure includes
 * this process's own side of the request, so it is an upper bound.
 *
 *   npm run bench:scrape -- [--fds 15000] [--rounds 20]
 */
import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "node:http";
import { parseArgs } from "node:util";
import pino from "pino";
import { loadConfig, startSyncServer } from "@sync-beats/sync";

const { values } = parseArgs({ options: { fds: { type: "string", default: "15000" }, rounds: { type: "string", default: "20" } } });
const fdCount = Number(values.fds);
const rounds = Number(values.rounds);

/** Nanoseconds this thread has run on a CPU (the first field of schedstat). */
const onCpuMs = () => Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[0]) / 1e6;

// The production defaults, in dev identity, on a free port (the secret file goes to a temporary folder).
const dataDir = mkdtempSync(join(tmpdir(), "scrape-cost-"));
const config = loadConfig({ PORT: "0", HOST: "127.0.0.1", SYNC_DEV_IDENTITY: "1", LOG_LEVEL: "silent", DATA_DIR: dataDir });

for (let index = 0; index < fdCount; index++) openSync("/dev/null", "r");
const server = await startSyncServer(config, pino({ level: "silent" }));

function scrape(): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ host: "127.0.0.1", port: server.port, path: "/metrics" }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve(body));
    })
      .on("error", reject)
      .end();
  });
}

const costs: number[] = [];
let openFds = "";
for (let round = 0; round < rounds + 1; round++) {
  const before = onCpuMs();
  const text = await scrape();
  // The first scrape compiles prom-client's paths: a warm-up, not a figure.
  if (round > 0) costs.push(onCpuMs() - before);
  openFds = /^sync_process_open_fds (\d+)$/m.exec(text)?.[1] ?? "?";
  await new Promise((resolve) => setTimeout(resolve, 100));
}
await server.close();
rmSync(dataDir, { recursive: true, force: true });
costs.sort((a, b) => a - b);
const at = (quantile: number) => costs[Math.min(costs.length - 1, Math.floor(quantile * costs.length))]!.toFixed(2);
console.log(`/metrics scrape with ${openFds} open descriptors, ${rounds} rounds: main-thread CPU per scrape median ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${at(1)} ms`);
process.exit(0);
