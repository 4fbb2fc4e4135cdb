import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { ARTIFACTS_DIR } from "./paths.js";

/** A server started as a child process in its own process group. */
export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** The last lines it printed (stdout and stderr), for failure messages. */
  tail(): string;
  /** True once any line it printed matched `pattern`. */
  printed(pattern: RegExp): boolean;
  /** SIGTERM to its process group, SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string | undefined>;
}

const TAIL_LINES = 60;

/** Spawns a server; its output goes to `test-artifacts/logs/<name>.log` and a short in-memory tail. */
export function startProcess(options: StartOptions): ManagedProcess {
  const logDir = join(ARTIFACTS_DIR, "logs");
  mkdirSync(logDir, { recursive: true });
  const log: WriteStream = createWriteStream(join(logDir, `${options.name}.log`), { flags: "a" });
  log.write(`\n=== ${new Date().toISOString()} ${options.command} ${options.args.join(" ")}\n`);

  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    // Own process group, so stop() reaches npm's children (tsx, node, next) and nothing else.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const seen: string[] = [];
  const collect = (chunk: Buffer) => {
    // A pipe may still deliver output after "exit" (a grandchild holds it open): the log has ended.
    if (!log.writableEnded) log.write(chunk);
    for (const line of chunk.toString("utf8").split("\n")) {
      if (line.trim() === "") continue;
      lines.push(line);
      if (seen.length < 500) seen.push(line);
      if (lines.length > TAIL_LINES) lines.shift();
    }
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      log.end(`=== exit code=${code} signal=${signal}\n`);
      resolve();
    });
  });

  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };

  return {
    name: options.name,
    child,
    tail: () => lines.join("\n"),
    printed: (pattern) => seen.some((line) => pattern.test(line)) || lines.some((line) => pattern.test(line)),
    async stop(graceMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup("SIGTERM");
      const timer = setTimeout(() => signalGroup("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
      // npm may exit before its grandchildren; make sure the group is gone.
      signalGroup("SIGKILL");
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `check` returns true; rejects with the process's output tail after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  options: { timeoutMs: number; process?: ManagedProcess },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    const child = options.process?.child;
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`${what}: process exited early\n${options.process?.tail() ?? ""}`);
    }
    if (await withTimeout(check(), 5_000).catch(() => false)) return;
    await sleep(150);
  }
  throw new Error(`${what}: not ready after ${options.timeoutMs} ms\n${options.process?.tail() ?? ""}`);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`check took over ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** True when something accepts TCP connections on `port`. */
export function portAcceptsConnections(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.setTimeout(2_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** True when `url` answers with any status below 500. */
export async function httpAnswers(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await response.arrayBuffer();
  return response.status < 500;
}
