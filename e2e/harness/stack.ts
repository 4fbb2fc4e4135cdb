import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.js";
import { httpAnswers, portAcceptsConnections, startProcess, waitUntil, type ManagedProcess } from "./processes.js";
import { REPO_ROOT } from "./paths.js";

/** The three servers of one test file, on free ports, with a throwaway data directory. */
export interface Stack {
  readonly apiUrl: string;
  readonly webUrl: string;
  readonly syncPort: number;
  /** Stops the sync server (mid-song, for the reconnect test). */
  stopSync(): Promise<void>;
  /** Starts the sync server again on the same port. */
  startSync(): Promise<void>;
  stop(): Promise<void>;
}

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function startWorkspace(name: string, workspace: string, env: Record<string, string>, script = "start"): ManagedProcess {
  // Each app's own start command, as a user would run it (the web app's minus its build step:
  // global setup has built it once for the whole run).
  return startProcess({ name, command: npm, args: ["run", script, "--silent", "-w", workspace], cwd: REPO_ROOT, env });
}

/** Each server says it has bound its port; probing the port alone could reach someone else's server. */
const READY_LINE = {
  api: /"msg":"api listening"/,
  sync: /sync server listening/,
  web: /Ready in/,
};

export async function startStack(label: string): Promise<Stack> {
  // Another process may take a port between our probe and the server's bind: retry with new ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await tryStartStack(label);
    } catch (error) {
      if (attempt >= 3 || !String(error).includes("EADDRINUSE")) throw error;
    }
  }
}

async function tryStartStack(label: string): Promise<Stack> {
  const [apiPort, syncPort, webPort] = [await freePort(), await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), "sync-beats-e2e-"));
  // `localhost` everywhere: the session cookie is SameSite=Lax and the API's CORS origin must match.
  const webUrl = `http://localhost:${webPort}`;
  const apiUrl = `http://localhost:${apiPort}`;
  const shared = {
    DATA_DIR: dataDir,
    SYNC_SECRET: randomBytes(24).toString("base64url"),
    // info: the servers' "listening" lines are the readiness signal (logs go to test-artifacts).
    LOG_LEVEL: "info",
    NEXT_TELEMETRY_DISABLED: "1",
  };

  const api = startWorkspace(`${label}-api`, "@sync-beats/api", {
    ...shared,
    PORT: String(apiPort),
    WEB_ORIGIN: webUrl,
    SYNC_INTERNAL_URL: `http://127.0.0.1:${syncPort}`,
    NODE_ENV: "test",
  });
  const syncEnv = { ...shared, PORT: String(syncPort), NODE_ENV: "test" };
  let sync = startWorkspace(`${label}-sync`, "@sync-beats/sync", syncEnv);
  const web = startWorkspace(
    `${label}-web`,
    "@sync-beats/web",
    {
      ...shared,
      PORT: String(webPort),
      NODE_ENV: "production",
      NEXT_PUBLIC_API_URL: apiUrl,
      NEXT_PUBLIC_SOCKET_HOST: `localhost:${syncPort}`,
    },
    "start:only",
  );
  const all = () => [api, sync, web];

  const ready = (process: ManagedProcess, line: RegExp, probe: () => Promise<boolean>, timeoutMs: number) =>
    waitUntil(process.name, async () => process.printed(line) && (await probe()), { timeoutMs, process });
  const waitSync = () => ready(sync, READY_LINE.sync, () => portAcceptsConnections(syncPort), 30_000);
  try {
    await Promise.all([
      ready(api, READY_LINE.api, () => httpAnswers(`${apiUrl}/healthz`), 60_000),
      waitSync(),
      ready(web, READY_LINE.web, () => httpAnswers(`${webUrl}/login`), 120_000),
    ]);
  } catch (error) {
    await Promise.all(all().map((p) => p.stop()));
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  return {
    apiUrl,
    webUrl,
    syncPort,
    stopSync: () => sync.stop(),
    async startSync() {
      sync = startWorkspace(`${label}-sync`, "@sync-beats/sync", syncEnv);
      await waitSync();
    },
    async stop() {
      await Promise.all(all().map((p) => p.stop()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
