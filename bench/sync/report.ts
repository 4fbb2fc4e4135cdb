/**
 * The outputs: the stdout table and the SVG plot (rendered to PNG by the browser).
 */
import type { RunResult } from "./run-scenario.js";
import { medianOf, worstClientP95 } from "./run-scenario.js";

export const ms = (value: number | null | undefined, digits = 2): string =>
  value === null || value === undefined || Number.isNaN(value) ? "-" : value.toFixed(digits);

/** Median converge time across clients, and how many never converged, e.g. "0.41 s" or "0.41 s (1 never)". */
export function converge(values: readonly (number | null)[]): string {
  const median = medianOf(values);
  const never = values.filter((v) => v === null).length;
  const text = median === null ? "never" : `${(median / 1000).toFixed(2)} s`;
  return never > 0 && median !== null ? `${text} (${never} never)` : text;
}

export interface ScenarioRow {
  readonly precise: RunResult;
  readonly naive: RunResult | null;
}

const HEADER = [
  "scenario",
  "inter-client p50 / p95 / max (ms)",
  "after seek p95 / max (ms)",
  "client error p95 (ms)",
  "converge join / seek",
  "hard re-seeks",
  "glitches (max per page)",
  "max rate dev. (%)",
  "limit (ms)",
  "naive p95 (ms)",
  "naive / precise",
];

/** The Markdown table (stdout and README). */
export function markdownTable(rows: readonly ScenarioRow[]): string {
  const lines = [`| ${HEADER.join(" | ")} |`, `|${HEADER.map(() => " --- ").join("|")}|`];
  for (const { precise, naive } of rows) {
    const c = precise.clients;
    const cells = [
      precise.scenario,
      `${ms(precise.interClientMs.p50)} / ${ms(precise.interClientMs.p95)} / ${ms(precise.interClientMs.max)}`,
      `${ms(precise.interClientAfterSeekMs.p95)} / ${ms(precise.interClientAfterSeekMs.max)}`,
      ms(worstClientP95(precise)),
      `${converge(c.map((x) => x.convergeAfterJoinMs))} / ${converge(c.map((x) => x.convergeAfterSeekMs))}`,
      String(c.reduce((sum, x) => sum + (x.hardSeeks ?? 0), 0)),
      String(Math.max(0, ...c.map((x) => x.renderedGlitches))),
      ms(Math.max(0, ...c.map((x) => (x.maxRateDeviation ?? 0) * 100)), 3),
      precise.interClientLimitMs > 0 ? `${ms(precise.interClientLimitMs, 0)} inter / ${ms(Math.max(...c.map((x) => x.limitMs)), 0)} client` : "0",
      naive ? ms(naive.interClientMs.p95) : "-",
      naive ? `${(naive.interClientMs.p95 / precise.interClientMs.p95).toFixed(1)}x` : "-",
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

/** 1, 2 or 5 times a power of ten, at least `value`. */
function niceCeil(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].map((m) => m * power).find((v) => v >= value) ?? 10 * power);
}

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];

function panel(run: RunResult, x: number, y: number, width: number, height: number): string {
  const limit = Math.max(...run.clients.map((c) => c.limitMs));
  const typical = Math.max(...run.clients.map((c) => c.absErrorMs.p95).filter((v) => Number.isFinite(v)));
  const span = niceCeil(Math.max(5, limit + 5, typical * 1.3));
  const tMax = run.plotTimesS.at(-1) ?? 1;
  const px = (t: number) => x + 50 + ((t / tMax) * (width - 60));
  const py = (e: number) => y + 25 + ((span - Math.max(-span, Math.min(span, e))) / (2 * span)) * (height - 45);
  const parts: string[] = [
    `<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="white" stroke="#ccc"/>`,
    `<text x="${x + 8}" y="${y + 16}" font-size="13" font-weight="bold">${run.scenario} (${run.algorithm}): inter-client p95 ${ms(run.interClientMs.p95)} ms, max ${ms(run.interClientMs.max)} ms</text>`,
  ];
  for (const tick of [-span, -span / 2, 0, span / 2, span]) {
    parts.push(`<line x1="${x + 50}" x2="${x + width - 10}" y1="${py(tick)}" y2="${py(tick)}" stroke="${tick === 0 ? "#888" : "#eee"}"/>`);
    parts.push(`<text x="${x + 45}" y="${py(tick) + 4}" font-size="10" text-anchor="end">${tick.toFixed(1)}</text>`);
  }
  const seekS = (run.window.seekAtMs - run.window.playAtMs) / 1000;
  const settledS = (run.window.settledMs - run.window.playAtMs) / 1000;
  parts.push(`<rect x="${px(seekS)}" y="${y + 25}" width="${Math.max(0, px(settledS) - px(seekS))}" height="${height - 45}" fill="#f4f4f4"/>`);
  const fromS = (run.window.fromMs - run.window.playAtMs) / 1000;
  parts.push(`<line x1="${px(seekS)}" x2="${px(seekS)}" y1="${y + 25}" y2="${y + height - 20}" stroke="#aaa" stroke-dasharray="4 3"/>`);
  parts.push(`<line x1="${px(fromS)}" x2="${px(fromS)}" y1="${y + 25}" y2="${y + height - 20}" stroke="#cfc" stroke-dasharray="2 3"/>`);
  parts.push(`<text x="${x + width - 12}" y="${y + height - 6}" font-size="10" text-anchor="end">s since PLAY (stats from the green line; grey band: seek, excluded); error ms, clipped to +/-${span.toFixed(0)}</text>`);
  run.plotErrorsMs.forEach((errors, client) => {
    let d = "";
    let pen = false;
    errors.forEach((e, i) => {
      if (e === null) {
        pen = false;
        return;
      }
      d += `${pen ? "L" : "M"}${px(run.plotTimesS[i]!).toFixed(1)},${py(e).toFixed(1)}`;
      pen = true;
    });
    parts.push(`<path d="${d}" fill="none" stroke="${COLORS[client % COLORS.length]}" stroke-width="1.2"/>`);
  });
  return parts.join("");
}

/** One panel per run (precise left, naive right), each client's error vs the server timeline. */
export function svgPlot(rows: readonly ScenarioRow[]): { svg: string; width: number; height: number } {
  const panelWidth = 700;
  const panelHeight = 260;
  const width = panelWidth * 2;
  const height = panelHeight * rows.length;
  const panels = rows.flatMap((row, r) => [
    panel(row.precise, 0, r * panelHeight, panelWidth, panelHeight),
    row.naive ? panel(row.naive, panelWidth, r * panelHeight, panelWidth, panelHeight) : "",
  ]);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">${panels.join("")}</svg>`;
  return { svg, width, height };
}
