/**
 * Room mode's delay proxies, one per page, run in a child process of their own
 * (`delay-proxy-child.ts`), optionally at a raised CPU priority: in the benchmark's own process
 * on two starved cores, the "50 ± 20 ms" links delivered p50 52–64 and p95 94–232 ms (issue 17),
 * so the scenario was not what it said. A real network's delays do not depend on the listener's
 * CPU; the proxies' lateness against their plan is recorded either way (`DelayRecord.lateMs`).
 */
import { fork, type ChildProcess } from "node:child_process";
import { setPriority } from "node:os";
import { fileURLToPath } from "node:url";
import type { ChildRequest } from "./delay-proxy-child.js";
import type { ClientNetwork, DelayRecord } from "./delay-proxy.js";
import { nowMs } from "./time.js";

export interface ProxyProcess {
  readonly ports: readonly number[];
  /** The child's nice value, or null when raising it was refused (not root). */
  readonly nice: number | null;
  /** Child clock minus bench clock (ms), from the quickest of a few IPC round trips. */
  readonly childMinusBenchMs: number;
  collect(): Promise<{ up: DelayRecord; down: DelayRecord }[]>;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL("./delay-proxy-child.ts", import.meta.url));
const CLOCK_ROUND_TRIPS = 20;

function ask<T>(child: ChildProcess, request: ChildRequest, kind: string, timeoutMs = 10_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`delay-proxy child: no "${kind}" within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: { kind: string; message?: string }) => {
      if (message.kind === "error") done(new Error(`delay-proxy child: ${message.message}`));
      else if (message.kind === kind) done(null, message as T);
    };
    const done = (error: Error | null, value?: T) => {
      clearTimeout(timer);
      child.off("message", onMessage);
      if (error) reject(error);
      else resolve(value!);
    };
    child.on("message", onMessage);
    child.send(request);
  });
}

/** Forks the child, starts one proxy per network to `targetPort`, and measures the child's clock. */
export async function startProxyProcess(targetPort: number, networks: readonly ClientNetwork[], seeds: readonly number[], nice = -10): Promise<ProxyProcess> {
  // execArgv carries tsx's loader, so the child runs the TypeScript source as the parent does.
  const child = fork(CHILD, [], { execArgv: process.execArgv, serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] });
  let niceApplied: number | null = nice;
  try {
    setPriority(child.pid!, nice);
  } catch {
    niceApplied = null;
  }
  try {
    const { ports } = await ask<{ ports: number[] }>(child, { kind: "start", targetPort, networks, seeds }, "started");
    let best = { rttMs: Infinity, offsetMs: 0 };
    for (let id = 0; id < CLOCK_ROUND_TRIPS; id += 1) {
      const sentMs = nowMs();
      const answer = await ask<{ nowMs: number }>(child, { kind: "now", id }, "now");
      const receivedMs = nowMs();
      if (receivedMs - sentMs < best.rttMs) best = { rttMs: receivedMs - sentMs, offsetMs: answer.nowMs - (sentMs + receivedMs) / 2 };
    }
    return {
      ports,
      nice: niceApplied,
      childMinusBenchMs: best.offsetMs,
      collect: async () => (await ask<{ records: { up: DelayRecord; down: DelayRecord }[] }>(child, { kind: "collect" }, "records", 30_000)).records,
      close: async () => {
        await ask(child, { kind: "close" }, "closed").catch(() => child.kill());
      },
    };
  } catch (error) {
    child.kill();
    throw error;
  }
}
