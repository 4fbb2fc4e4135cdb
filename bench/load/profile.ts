/**
 * CPU profile of a server under test for one phase only, through its inspector (the server runs
 * with `--inspect` on loopback): the same samples `--cpu-prof` takes, but not the start-up and
 * connect phases. Summarised to where the time went; the raw profile is kept for DevTools.
 */
import WebSocket from "ws";
import { httpText } from "./processes.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  seconds: number;
  samples: number;
  /** Self time by area (the sync app, ws, zod, GC, …), in % of samples, idle excluded. */
  byArea: { area: string; percent: number }[];
  /** Functions with the most self time, in % of non-idle samples. */
  top: { fn: string; percent: number }[];
  /** Functions of this repository (apps/, packages/) with the most time including callees. */
  topInclusive: { fn: string; percent: number }[];
  /** Share of the wall time the process was busy (not idle), in %. */
  busyPercent: number;
}

function areaOf({ functionName, url }: ProfileNode["callFrame"]): string {
  if (functionName === "(garbage collector)") return "GC";
  if (functionName === "(program)") return "V8/native (program)";
  if (url.includes("/node_modules/ws/")) return "ws";
  if (url.includes("/node_modules/zod/")) return "zod";
  if (url.includes("/node_modules/prom-client/")) return "prom-client";
  if (url.includes("/node_modules/pino")) return "pino";
  if (url.includes("/node_modules/ioredis/") || url.includes("/node_modules/@ioredis/")) return "ioredis";
  if (url.includes("/apps/sync/")) return "apps/sync";
  if (url.includes("/packages/protocol/")) return "packages/protocol";
  if (url.includes("/node_modules/")) return "other node_modules";
  if (url.startsWith("node:")) return "node core (JS)";
  return "builtins (JSON, Buffer, syscalls…)";
}

function shortUrl(url: string): string {
  const match = /\/(node_modules\/.+|apps\/.+|packages\/.+)$/.exec(url);
  return match?.[1] ?? url.replace(/^.*\//, "");
}

function keyOf({ functionName, url, columnNumber }: ProfileNode["callFrame"]): string {
  // tsx runs TypeScript as transpiled one-line modules: a line number says nothing, a column
  // tells apart the anonymous functions of one file.
  const where = url ? ` ${shortUrl(url)}${functionName ? "" : ` col ${columnNumber}`}` : "";
  return `${functionName || "(anonymous)"}${where}`;
}

/** Samples in each node's subtree, counted once per function even where it recurses. */
function inclusiveHits(profile: CpuProfile): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const childIds = new Set(profile.nodes.flatMap((node) => node.children ?? []));
  const totals = new Map<string, number>();
  function walk(node: ProfileNode, onStack: Set<string>): number {
    let hits = node.hitCount ?? 0;
    const key = keyOf(node.callFrame);
    const outermost = !onStack.has(key);
    if (outermost) onStack.add(key);
    for (const child of node.children ?? []) hits += walk(byId.get(child)!, onStack);
    if (outermost) {
      onStack.delete(key);
      totals.set(key, (totals.get(key) ?? 0) + hits);
    }
    return hits;
  }
  for (const node of profile.nodes) if (!childIds.has(node.id)) walk(node, new Set());
  return totals;
}

export function summarise(profile: CpuProfile, topCount = 15): ProfileSummary {
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  let total = 0;
  let idle = 0;
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    total += hits;
    if (node.callFrame.functionName === "(idle)") {
      idle += hits;
      continue;
    }
    const area = areaOf(node.callFrame);
    byArea.set(area, (byArea.get(area) ?? 0) + hits);
    const key = keyOf(node.callFrame);
    byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
  }
  const busy = total - idle;
  const percent = (hits: number) => Math.round((1000 * hits) / Math.max(1, busy)) / 10;
  const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  return {
    seconds,
    samples: total,
    busyPercent: Math.round((1000 * busy) / Math.max(1, total)) / 10,
    byArea: sorted(byArea).map(([area, hits]) => ({ area, percent: percent(hits) })),
    top: sorted(byFunction)
      .slice(0, topCount)
      .map(([fn, hits]) => ({ fn, percent: percent(hits) })),
    topInclusive: sorted(inclusiveHits(profile))
      .filter(([fn]) => / (apps|packages)\//.test(fn))
      .slice(0, topCount)
      .map(([fn, hits]) => ({ fn, percent: percent(hits) })),
  };
}

/** Starts sampling now (1 ms interval); `stop()` returns the profile. */
export async function startProfiler(inspectPort: number): Promise<{ stop(): Promise<CpuProfile> }> {
  const targets = JSON.parse(await httpText(`http://127.0.0.1:${inspectPort}/json/list`)) as { webSocketDebuggerUrl: string }[];
  const target = targets[0];
  if (!target) throw new Error("the inspector lists no target");
  const socket = new WebSocket(target.webSocketDebuggerUrl, { perMessageDeflate: false, maxPayload: 512 * 1024 * 1024 });
  await new Promise<void>((done, fail) => {
    socket.once("open", done);
    socket.once("error", fail);
  });
  let nextId = 1;
  const waiting = new Map<number, { done(result: unknown): void; fail(error: Error): void }>();
  socket.on("message", (data: Buffer) => {
    const reply = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
    const waiter = reply.id === undefined ? undefined : waiting.get(reply.id);
    if (!waiter) return;
    waiting.delete(reply.id!);
    if (reply.error) waiter.fail(new Error(reply.error.message));
    else waiter.done(reply.result);
  });
  const call = (method: string, params: object = {}) =>
    new Promise<unknown>((done, fail) => {
      const id = nextId++;
      waiting.set(id, { done, fail });
      socket.send(JSON.stringify({ id, method, params }));
    });
  await call("Profiler.enable");
  await call("Profiler.setSamplingInterval", { interval: 1_000 });
  await call("Profiler.start");
  return {
    async stop() {
      const { profile } = (await call("Profiler.stop")) as { profile: CpuProfile };
      await call("Profiler.disable");
      socket.close();
      return profile;
    },
  };
}
