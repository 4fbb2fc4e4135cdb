/**
 * bench:media's table: one row per figure, one column per browser and link (Chromium on CDP's
 * throttle, Chromium and Firefox on the throttle proxy), each cell with the UTC time and the load
 * average when it was measured, so the engines' figures sit side by side.
 */
import { loadavg } from "node:os";

/** Records one figure in one column. */
export type Row = (figure: string, value: string) => void;

export interface MediaReport {
  /** The recorder of `column`'s figures (printed as they come). */
  column(column: string): Row;
  /** The markdown table of every figure so far. */
  table(): string;
}

export function createReport(): MediaReport {
  const columns: string[] = [];
  const cells = new Map<string, Map<string, string>>();
  return {
    column(column) {
      if (!columns.includes(column)) columns.push(column);
      return (figure, value) => {
        const load = loadavg()[0]!.toFixed(2);
        const time = new Date().toISOString().slice(11, 16);
        console.log(`[${column}] ${figure}: ${value} (${time} UTC, load ${load})`);
        if (!cells.has(figure)) cells.set(figure, new Map());
        cells.get(figure)!.set(column, `${value} (${time}, load ${load})`);
      };
    },
    table() {
      const lines = [`| figure | ${columns.join(" | ")} |`, `|---|${columns.map(() => "---|").join("")}`];
      for (const [figure, byColumn] of cells) lines.push(`| ${figure} | ${columns.map((c) => byColumn.get(c) ?? "").join(" | ")} |`);
      return lines.join("\n");
    },
  };
}
