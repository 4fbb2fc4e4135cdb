/** The real sync server entry (`src/main.ts`) as a child process, for tests of what only a process shows. */
import { type ChildProcess, spawn } from "node:child_process";
import { get } from "node:http";
import { createServer } from "node:net";
import { resolve } from "node:path";

const MAIN = resolve(import.meta.dirname, "../src/main.ts");

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** One `/healthz` on a fresh connection: a kept-alive one would stay with one worker. */
function healthz(httpUrl: string): Promise<{ node: string }> {
  return new Promise((done, fail) => {
    get(`${httpUrl}/healthz`, { agent: false }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => (response.statusCode === 200 ? done(JSON.parse(body) as { node: string }) : fail(new Error(body))));
    }).on("error", fail);
  });
}

export interface SyncProcess {
  readonly url: string;
  readonly httpUrl: string;
  readonly child: ChildProcess;
  output(): string;
  /** Polls `/healthz` until `count` different nodes (workers) answered; their ids. */
  nodes(count: number, timeoutMs?: number): Promise<string[]>;
  stop(): Promise<number | null>;
}

/** Starts `src/main.ts` with `env` (dev identity, warn-level logs) on a free port. */
export async function startSyncProcess(env: Record<string, string>): Promise<SyncProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: { ...process.env, REDIS_URL: "", PORT: String(port), HOST: "127.0.0.1", SYNC_DEV_IDENTITY: "1", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8_000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const httpUrl = `http://127.0.0.1:${port}`;
  return {
    url: `ws://127.0.0.1:${port}`,
    httpUrl,
    child,
    output: () => output,
    async nodes(count, timeoutMs = 60_000) {
      const seen = new Set<string>();
      const deadline = Date.now() + timeoutMs;
      while (seen.size < count) {
        if (child.exitCode !== null) throw new Error(`sync process exited with ${child.exitCode}:\n${output}`);
        if (Date.now() > deadline) throw new Error(`only ${seen.size} of ${count} nodes answered /healthz:\n${output}`);
        const health = await healthz(httpUrl).catch(() => null);
        if (health) seen.add(health.node);
        else await new Promise((done) => setTimeout(done, 200));
      }
      return [...seen];
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
