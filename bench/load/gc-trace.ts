/**
 * `--trace-gc` lines of a server under test, e.g.
 * `[123:0x5f…]    4521 ms: Scavenge 41.2 (52.1) -> 38.9 (52.6) MB, 1.84 / 0.00 ms  (average mu = …`:
 * each pause, stamped with when the line arrived, so a phase counts only its own.
 */
export interface GcPause {
  kind: "scavenge" | "mark-compact" | "other";
  ms: number;
  /** performance.now() of the benchmark when the line arrived. */
  at: number;
}

export interface GcSummary {
  scavenges: number;
  markCompacts: number;
  totalPauseMs: number;
  maxPauseMs: number;
}

const LINE = /ms: (Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Compact|Minor Mark-Sweep)[^,]*, ([\d.]+) \/ [\d.]+ ms/;

/** Parses the pauses in a chunk of a server's output. */
export function parseGcPauses(text: string, at: number): GcPause[] {
  const pauses: GcPause[] = [];
  for (const line of text.split("\n")) {
    const match = LINE.exec(line);
    if (!match) continue;
    const kind = match[1] === "Scavenge" ? "scavenge" : match[1]!.startsWith("Mark") ? "mark-compact" : "other";
    pauses.push({ kind, ms: Number(match[2]), at });
  }
  return pauses;
}

export function summariseGc(pauses: GcPause[]): GcSummary {
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    scavenges: pauses.filter((pause) => pause.kind === "scavenge").length,
    markCompacts: pauses.filter((pause) => pause.kind === "mark-compact").length,
    totalPauseMs: round(pauses.reduce((sum, pause) => sum + pause.ms, 0)),
    maxPauseMs: round(Math.max(0, ...pauses.map((pause) => pause.ms))),
  };
}
