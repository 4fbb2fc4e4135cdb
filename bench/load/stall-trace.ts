/** `[stall] {json}` lines that bench/load/stall-probe.ts prints from inside a server under test. */
export interface Stall {
  /** When the stall ended, in µs on the monotonic clock (a CPU profile's timestamps). */
  endUs: number;
  /** How long the event loop did not run a 5 ms timer, beyond its period. */
  ms: number;
  /** Of that, time the main thread ran on a CPU (the server's own work). */
  onCpuMs: number;
  /** Time the main thread was runnable but waited for a CPU (the machine's contention). */
  waitMs: number;
}

export interface StallSummary {
  count: number;
  /** The longest stall, and its split. */
  max: Stall | null;
  /** Sum of the stalls' on-CPU and run-queue parts. */
  onCpuMs: number;
  waitMs: number;
}

const LINE = /^\[stall\] (\{.*\})$/gm;

/** The stalls in a chunk of a server's output. */
export function parseStalls(text: string): Stall[] {
  const stalls: Stall[] = [];
  for (const match of text.matchAll(LINE)) {
    const value = JSON.parse(match[1]!) as Stall;
    if ([value.endUs, value.ms, value.onCpuMs, value.waitMs].every(Number.isFinite)) stalls.push(value);
  }
  return stalls;
}

export function summariseStalls(stalls: Stall[]): StallSummary {
  const round = (value: number) => Math.round(value * 10) / 10;
  let max: Stall | null = null;
  for (const stall of stalls) if (!max || stall.ms > max.ms) max = stall;
  return {
    count: stalls.length,
    max,
    onCpuMs: round(stalls.reduce((sum, stall) => sum + stall.onCpuMs, 0)),
    waitMs: round(stalls.reduce((sum, stall) => sum + stall.waitMs, 0)),
  };
}
