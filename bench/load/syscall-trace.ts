/**
 * `--trace-syscalls`: `perf trace -s` attached to a server under test for one phase. It counts
 * every system call of every thread with its time in the kernel, from tracepoints (no ptrace
 * stop per call, unlike `strace -c`, which would slow a server doing 30,000 calls a second).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One system call's totals over the phase, all threads of the process summed. */
export interface SyscallCount {
  calls: number;
  /** Time inside the call, summed (ms). */
  totalMs: number;
}

export type SyscallSummary = Record<string, SyscallCount>;

/** A summary row of `perf trace -s`: name, calls, errors, total, min, avg, max (ms), stddev. */
const ROW = /^\s+([a-z_0-9]+)\s+(\d+)\s+\d+\s+([\d.]+)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+%\s*$/;

/** Sums the per-thread tables of a `perf trace -s` summary. */
export function parseSyscallSummary(text: string): SyscallSummary {
  const summary: SyscallSummary = {};
  for (const line of text.split("\n")) {
    const match = ROW.exec(line);
    if (!match) continue;
    const entry = (summary[match[1]!] ??= { calls: 0, totalMs: 0 });
    entry.calls += Number(match[2]);
    entry.totalMs = Math.round((entry.totalMs + Number(match[3])) * 1000) / 1000;
  }
  return summary;
}

export interface SyscallTrace {
  /** Detaches and returns the phase's counts (null when perf could not attach). */
  stop(): Promise<SyscallSummary | null>;
}

/** Attaches `perf trace -s` to `pid` until `stop()`. */
export function startSyscallTrace(pid: number): SyscallTrace {
  const file = join(tmpdir(), `bench-load-syscalls-${pid}-${Date.now()}.txt`);
  const perf: ChildProcess = spawn("perf", ["trace", "-s", "-o", file, "-p", String(pid)], { stdio: "ignore" });
  const exited = new Promise<boolean>((done) => {
    perf.once("exit", () => done(true));
    perf.once("error", () => done(false));
  });
  return {
    async stop() {
      perf.kill("SIGINT");
      if (!(await exited)) return null;
      try {
        return parseSyscallSummary(readFileSync(file, "utf8"));
      } catch {
        return null;
      } finally {
        rmSync(file, { force: true });
      }
    },
  };
}
