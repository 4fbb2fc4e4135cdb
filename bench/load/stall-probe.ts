/**
 * Preloaded into a server under test (`--trace-stalls`): every event-loop stall longer than
 * {@link STALL_MS}, with how much of it the main thread was on a CPU and how long it waited for
 * one, from the kernel's per-thread accounting (/proc/thread-self/schedstat). On a machine shared
 * with other work, a stall that is mostly run-queue wait is the machine's; one spent on a CPU is
 * the server's own. Printed as `[stall] {json}` lines on stderr, timestamped on the monotonic
 * clock that CPU profiles use, so a stall can be looked up in the profile's sample timeline.
 */
import { readFileSync } from "node:fs";
import type { Stall } from "./stall-trace.js";

const TICK_MS = 5;
const STALL_MS = 20;

function schedstat(): { cpuNs: number; waitNs: number } | null {
  try {
    const [cpu, wait] = readFileSync("/proc/thread-self/schedstat", "utf8").split(" ");
    return { cpuNs: Number(cpu), waitNs: Number(wait) };
  } catch {
    return null;
  }
}

let last = { at: process.hrtime.bigint(), sched: schedstat() };
if (last.sched) {
  setInterval(() => {
    const now = { at: process.hrtime.bigint(), sched: schedstat() };
    const gapMs = Number(now.at - last.at) / 1e6 - TICK_MS;
    if (gapMs > STALL_MS && now.sched && last.sched) {
      const stall: Stall = {
        endUs: Number(now.at / 1000n),
        ms: Math.round(gapMs * 10) / 10,
        onCpuMs: Math.round((now.sched.cpuNs - last.sched.cpuNs) / 1e5) / 10,
        waitMs: Math.round((now.sched.waitNs - last.sched.waitNs) / 1e5) / 10,
      };
      process.stderr.write(`[stall] ${JSON.stringify(stall)}\n`);
    }
    last = now;
  }, TICK_MS).unref();
}
