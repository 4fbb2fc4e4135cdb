/**
 * The real API (`apps/api`) as a child process on loopback, so its resident memory can be read
 * from /proc while a file uploads; and the uploads themselves, streamed from disk.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { streamUpload } from "@sync-beats/api/testing";

export interface ApiChild {
  readonly url: string;
  readonly process: ChildProcess;
  /** Resident set size of the API process now, bytes. */
  rssBytes(): number;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts the API with its data in `dataDir`, allowing `webOrigin` (the benchmark page). */
export async function startApi(root: string, dataDir: string, webOrigin: string): Promise<ApiChild> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "apps/api/src/main.ts")], {
    cwd: root,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      WEB_ORIGIN: webOrigin,
      SEED_DEMO_TRACKS: "0",
      LOG_LEVEL: "warn",
      SYNC_INTERNAL_URL: "http://127.0.0.1:1",
      NODE_ENV: "development",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}`);
    const up = await fetch(`${url}/api/tracks`).then(() => true, () => false);
    if (up) break;
    if (i > 300) throw new Error("the API did not start within 30 s");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    process: child,
    rssBytes() {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Signs a fresh user up; returns the headers its uploads send (cookie and origin). */
export async function signUp(api: ApiChild, origin: string): Promise<Record<string, string>> {
  const response = await fetch(`${api.url}/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ username: `bench${Date.now().toString(36)}`, password: "correct horse battery" }),
  });
  if (response.status !== 201) throw new Error(`signup: ${response.status}`);
  const cookie = response.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
  return { cookie, origin };
}

/** What uploading one file cost the API. */
export interface UploadFigures {
  readonly trackId: string;
  readonly seconds: number;
  readonly rssBeforeBytes: number;
  readonly rssPeakBytes: number;
}

/** Uploads `path` streamed, sampling the API's RSS every 50 ms. */
export async function upload(api: ApiChild, headers: Record<string, string>, path: string, sizeBytes: number, fileName: string): Promise<UploadFigures> {
  const rssBeforeBytes = api.rssBytes();
  let rssPeakBytes = rssBeforeBytes;
  const sampler = setInterval(() => (rssPeakBytes = Math.max(rssPeakBytes, api.rssBytes())), 50);
  const started = performance.now();
  try {
    const result = await streamUpload({ url: `${api.url}/api/tracks`, path, sizeBytes, fileName, mimeType: "audio/wav", headers });
    if (result.status !== 201) throw new Error(`upload ${fileName}: ${result.status} ${result.body}`);
    const trackId = (JSON.parse(result.body) as { track: { id: string } }).track.id;
    return { trackId, seconds: (performance.now() - started) / 1000, rssBeforeBytes, rssPeakBytes };
  } finally {
    clearInterval(sampler);
  }
}
