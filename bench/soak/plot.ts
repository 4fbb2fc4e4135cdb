/** The soak's PNG, drawn as SVG (rendered by headless Chromium): memory, event-loop lag, clients. */
import type { Sample, SoakSummary } from "./report.js";
import type { Point } from "./trend.js";

interface Series {
  label: string;
  color: string;
  points: Point[];
  dashed?: boolean;
}

interface Frame {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Time axis end, ms. */
  tMaxMs: number;
  yMax: number;
}

const WIDTH = 1100;
const PANEL_HEIGHT = 250;
const LEFT = 60;
const MB = 1024 * 1024;

/** 1, 2 or 5 times a power of ten, at least `value`. */
function niceCeil(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * power).find((v) => v >= value)!;
}

const px = (frame: Frame, tMs: number) => frame.x + LEFT + (tMs / frame.tMaxMs) * (frame.width - LEFT - 20);
const py = (frame: Frame, value: number) => frame.y + 30 + (1 - Math.min(value, frame.yMax) / frame.yMax) * (frame.height - 60);

function axes(frame: Frame, title: string, unit: string): string[] {
  const parts = [
    `<rect x="${frame.x}" y="${frame.y}" width="${frame.width}" height="${frame.height}" fill="white" stroke="#ccc"/>`,
    `<text x="${frame.x + 8}" y="${frame.y + 18}" font-size="13" font-weight="bold">${title}</text>`,
  ];
  for (let step = 0; step <= 4; step++) {
    const value = (frame.yMax * step) / 4;
    parts.push(`<line x1="${px(frame, 0)}" x2="${px(frame, frame.tMaxMs)}" y1="${py(frame, value)}" y2="${py(frame, value)}" stroke="${step === 0 ? "#888" : "#eee"}"/>`);
    parts.push(`<text x="${frame.x + LEFT - 5}" y="${py(frame, value) + 4}" font-size="10" text-anchor="end">${Number(value.toPrecision(3))}</text>`);
  }
  const minutes = frame.tMaxMs / 60_000;
  const tickMinutes = niceCeil(Math.max(minutes / 12, 0.1));
  for (let minute = 0; minute <= minutes; minute += tickMinutes) {
    const x = px(frame, minute * 60_000);
    parts.push(`<text x="${x}" y="${frame.y + frame.height - 16}" font-size="10" text-anchor="middle">${Number(minute.toFixed(1))}</text>`);
  }
  parts.push(`<text x="${frame.x + frame.width - 20}" y="${frame.y + frame.height - 4}" font-size="10" text-anchor="end">minutes since the server started; ${unit}</text>`);
  return parts;
}

function lines(frame: Frame, series: Series[]): string[] {
  return series.flatMap((line, index) => {
    const path = line.points
      .filter((point) => Number.isFinite(point.y))
      .map((point, i) => `${i === 0 ? "M" : "L"}${px(frame, point.x).toFixed(1)},${py(frame, point.y).toFixed(1)}`)
      .join("");
    const legendX = frame.x + frame.width - 170;
    const legendY = frame.y + 18 + index * 14;
    return [
      `<path d="${path}" fill="none" stroke="${line.color}" stroke-width="1.5"${line.dashed ? ' stroke-dasharray="6 4"' : ""}/>`,
      `<line x1="${legendX}" x2="${legendX + 18}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="${line.color}" stroke-width="2"${line.dashed ? ' stroke-dasharray="4 3"' : ""}/>`,
      `<text x="${legendX + 24}" y="${legendY}" font-size="11">${line.label}</text>`,
    ];
  });
}

function shade(frame: Frame, fromMs: number, toMs: number, label: string): string {
  return `<rect x="${px(frame, fromMs)}" y="${frame.y + 30}" width="${Math.max(0, px(frame, toMs) - px(frame, fromMs))}" height="${frame.height - 60}" fill="#f3f3f3"/><text x="${px(frame, fromMs) + 4}" y="${frame.y + 42}" font-size="10" fill="#888">${label}</text>`;
}

export function svgPlot(samples: readonly Sample[], summary: SoakSummary, soakStartMs: number, warmupMs: number): { svg: string; width: number; height: number } {
  const tMaxMs = Math.max(60_000, samples.at(-1)?.tMs ?? 0);
  const at = (pick: (sample: Sample) => number) => samples.map((sample) => ({ x: sample.tMs, y: pick(sample) }));
  const server = (pick: (metrics: NonNullable<Sample["server"]>) => number) => at((sample) => (sample.server ? pick(sample.server) : Number.NaN));
  const parts: string[] = [];

  const memory: Series[] = [
    { label: "RSS (/proc)", color: "#1f77b4", points: at((sample) => sample.procRssBytes / MB) },
    { label: "heap total", color: "#ff7f0e", points: server((m) => m.heapTotalBytes / MB) },
    { label: "heap used", color: "#2ca02c", points: server((m) => m.heapUsedBytes / MB) },
  ];
  if (summary.rssGrowth) memory.push({ label: "RSS trend after warm-up", color: "#1f77b4", points: summary.rssGrowth.line, dashed: true });
  const memoryMax = niceCeil(Math.max(1, ...memory.flatMap((line) => line.points.map((point) => point.y)).filter(Number.isFinite)) * 1.1);
  const memoryFrame: Frame = { x: 0, y: 0, width: WIDTH, height: PANEL_HEIGHT, tMaxMs, yMax: memoryMax };
  const growth = summary.rssGrowth ? `${summary.rssGrowth.perMinute.toFixed(2)} MB/min after warm-up` : "too short to fit";
  parts.push(...axes(memoryFrame, `Sync server memory: RSS ${summary.rssMb.soakStart} → ${summary.rssMb.soakEnd} MB, ${growth}`, "MB"));
  parts.push(shade(memoryFrame, soakStartMs, soakStartMs + warmupMs, "warm-up"), ...lines(memoryFrame, memory));

  // Scaled to the p99s, so that one long pause does not flatten everything else; higher values clip.
  const lagMax = niceCeil(Math.max(1, summary.lagMs.worstP99 * 2));
  const lagFrame: Frame = { x: 0, y: PANEL_HEIGHT, width: WIDTH, height: PANEL_HEIGHT, tMaxMs, yMax: lagMax };
  parts.push(...axes(lagFrame, `Event-loop lag per ${samples.length > 1 ? "sampling interval" : "sample"}: p99 median ${summary.lagMs.p99} ms, max ${summary.lagMs.max} ms`, `ms (clipped at ${lagMax})`));
  parts.push(
    ...lines(lagFrame, [
      { label: "p50", color: "#2ca02c", points: server((m) => m.lagP50Ms) },
      { label: "p99", color: "#ff7f0e", points: server((m) => m.lagP99Ms) },
      { label: "max", color: "#d62728", points: server((m) => m.lagMaxMs) },
    ]),
  );

  const joinedMax = niceCeil(Math.max(1, ...samples.map((sample) => sample.joined)) * 1.1);
  const clientsFrame: Frame = { x: 0, y: 2 * PANEL_HEIGHT, width: WIDTH, height: PANEL_HEIGHT, tMaxMs, yMax: joinedMax };
  const last = samples.at(-1);
  parts.push(
    ...axes(clientsFrame, `Clients joined; dropped broadcasts ${last?.commandsDropped ?? 0}, dropped pongs ${last?.pongsDropped ?? 0}, RESYNC ${last?.resyncs ?? 0}, timeline disagreements ${last?.divergences ?? 0} (red: any of these in the interval)`, "clients"),
  );
  samples.forEach((sample, index) => {
    const previous = samples[index - 1];
    if (!previous) return;
    const trouble = (of: Sample) => of.commandsDropped + of.pongsDropped + of.resyncs + of.divergences;
    const bad = trouble(sample) - trouble(previous);
    if (bad > 0) parts.push(`<line x1="${px(clientsFrame, sample.tMs)}" x2="${px(clientsFrame, sample.tMs)}" y1="${clientsFrame.y + 30}" y2="${clientsFrame.y + PANEL_HEIGHT - 30}" stroke="#d62728"/>`);
  });
  parts.push(...lines(clientsFrame, [{ label: "joined", color: "#9467bd", points: at((sample) => sample.joined) }]));

  const height = 3 * PANEL_HEIGHT;
  return { svg: `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="sans-serif">${parts.join("")}</svg>`, width: WIDTH, height };
}
