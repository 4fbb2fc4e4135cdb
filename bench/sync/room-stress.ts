/**
 * Room mode's stress: two busy-loop processes (both cores busy), and long audio stalls.
 *
 * A stall is SIGSTOP / SIGCONT of headless Chromium's audio service (the utility process
 * `--utility-sub-type=audio.mojom.AudioService`, which pulls every page's rendered audio and
 * feeds the fake output device): while it is stopped no page's audio clock advances, as when a
 * phone's audio device stalls under load. Only descendants of this benchmark process are
 * signalled (other Chromiums on the machine are not ours).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { sleep } from "./time.js";

/** Starts `count` busy loops; returns their stopper. */
export function startBusyLoops(count = 2): () => void {
  const loops: ChildProcess[] = Array.from({ length: count }, () => spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
  return () => {
    for (const loop of loops.splice(0)) loop.kill();
  };
}

interface ProcessRow {
  readonly pid: number;
  readonly ppid: number;
  readonly args: string;
}

/** Pids of the descendants of `rootPid` whose command line matches `pattern` (pure over a `ps` table). */
export function descendantsMatching(rows: readonly ProcessRow[], rootPid: number, pattern: RegExp): number[] {
  const children = new Map<number, ProcessRow[]>();
  for (const row of rows) children.set(row.ppid, [...(children.get(row.ppid) ?? []), row]);
  const found: number[] = [];
  const stack = [rootPid];
  while (stack.length > 0) {
    for (const child of children.get(stack.pop()!) ?? []) {
      if (pattern.test(child.args)) found.push(child.pid);
      stack.push(child.pid);
    }
  }
  return found;
}

function processTable(): ProcessRow[] {
  const out = execFileSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  return out.split("\n").flatMap((line) => {
    const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    return match ? [{ pid: Number(match[1]), ppid: Number(match[2]), args: match[3]! }] : [];
  });
}

/** The audio service process(es) of the Chromium this process launched. */
export function audioServicePids(): number[] {
  return descendantsMatching(processTable(), process.pid, /--utility-sub-type=audio\.mojom\.AudioService/);
}

/** The stall lengths (ms) of one stall scenario: 100 ms to 1 s. */
export const STALLS_MS: readonly number[] = [100, 400, 1000, 250];

/**
 * Stops the audio service for each of `stallsMs` in turn, `everyMs` apart; resolves with when
 * each stall began (bench ms from `clock`). Always sends SIGCONT, even if interrupted.
 */
export async function stallAudio(stallsMs: readonly number[], everyMs: number, clock: () => number): Promise<{ atMs: number; ms: number }[]> {
  const pids = audioServicePids();
  if (pids.length === 0) throw new Error("no Chromium audio service process found under this benchmark");
  const done: { atMs: number; ms: number }[] = [];
  for (const ms of stallsMs) {
    const atMs = clock();
    try {
      for (const pid of pids) process.kill(pid, "SIGSTOP");
      await sleep(ms);
    } finally {
      for (const pid of pids) process.kill(pid, "SIGCONT");
    }
    done.push({ atMs, ms });
    await sleep(everyMs);
  }
  return done;
}
