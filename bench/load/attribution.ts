/**
 * Per-frame attribution of a server's CPU from a phase's CPU profile: every sample is given to the
 * part of the server whose function is on its stack (the `sync_check` handler, the pong, decode,
 * the command path, the heartbeat…), and each part's share of the busy samples is turned into µs
 * per frame out with the CPU per frame `/proc` measured in the same phase. Sampling cannot tell
 * user from kernel time inside a system call, so each part's socket writes are counted apart.
 */
import type { CpuProfile } from "./profile.js";

type CallFrame = CpuProfile["nodes"][number]["callFrame"];

/** The parts, most specific first: a sample goes to the first part with a frame on its stack. */
const PARTS: { part: string; matches(frame: CallFrame): boolean }[] = [
  { part: "metrics (counters, fan-out histogram)", matches: (frame) => frame.url.includes("/apps/sync/src/metrics.ts") || frame.url.includes("/node_modules/prom-client/") },
  { part: "logging (pino)", matches: (frame) => frame.url.includes("/node_modules/pino") || frame.url.includes("/apps/sync/src/logger.ts") },
  { part: "rate limiter", matches: (frame) => frame.url.includes("/apps/sync/src/rate-limiter.ts") },
  { part: "heartbeat pings (sweep, ping frames)", matches: (frame) => frame.url.includes("/apps/sync/src/heartbeat.ts") && frame.functionName !== "pong" },
  { part: "heartbeat pongs (RTT)", matches: (frame) => frame.functionName === "ponged" || (frame.url.includes("/apps/sync/src/heartbeat.ts") && frame.functionName === "pong") },
  { part: "time_ping → time_pong", matches: (frame) => frame.functionName === "timePong" },
  { part: "sync_check (timeline check)", matches: (frame) => frame.functionName === "syncCheck" },
  { part: "decode + validation (JSON.parse, hot check, zod)", matches: (frame) => frame.functionName === "decode" && frame.url.includes("/apps/sync/") },
  {
    part: "command → backplane → broadcast",
    matches: (frame) =>
      frame.url.includes("/apps/sync/src/memory-backplane.ts") ||
      frame.url.includes("/apps/sync/src/room-transitions.ts") ||
      (frame.url.includes("/apps/sync/src/room.ts") && ["control", "commit", "adopt", "receive", "publish"].includes(frame.functionName)) ||
      (frame.url.includes("/apps/sync/src/connection.ts") && ["control", "answer"].includes(frame.functionName)),
  },
  { part: "onText (size check, dispatch)", matches: (frame) => frame.functionName === "onText" },
  { part: "adapter receive (Buffer → string)", matches: (frame) => frame.functionName === "received" },
  { part: "baseline handler (parse, answer, broadcast)", matches: (frame) => frame.url.includes("/bench/load/bare-ws-server.ts") },
  { part: "ws receiver (frame parsing, unmasking)", matches: (frame) => frame.url.includes("/node_modules/ws/lib/receiver.js") },
  { part: "ws sender (ws.send, pings)", matches: (frame) => frame.url.includes("/node_modules/ws/lib/sender.js") },
  { part: "ws other", matches: (frame) => frame.url.includes("/node_modules/ws/") },
  { part: "GC", matches: (frame) => frame.functionName === "(garbage collector)" },
];
/** Outside every part: the event loop, node's streams and what the profiler cannot place. */
const REST = "event loop, node streams, (program)";

/**
 * A frame of a socket write: node's net socket and stream-base write calls and the native call
 * below them (the ws receiver is a Writable too, so node's generic Writable frames do not count).
 */
function isSocketWrite(frame: CallFrame): boolean {
  if (frame.url === "node:net") return /^Socket\._write/.test(frame.functionName);
  if (frame.url === "node:internal/stream_base_commons") return frame.functionName === "writeGeneric" || frame.functionName === "writevGeneric";
  return frame.url === "" && /^write(v|Buffer|Utf8String|Latin1String)$/.test(frame.functionName);
}

export interface PartCost {
  part: string;
  /** % of the non-idle samples. */
  percent: number;
  /** µs of server CPU per frame out (share × the phase's CPU per frame). */
  microsPerFrame: number;
  /** Of which in a socket write (node's socket, the system call: where the kernel time is). */
  socketWriteMicrosPerFrame: number;
}

/** Splits `cpuMicrosPerFrame` (user + kernel, from /proc) over the parts by their samples. */
export function attribute(profile: CpuProfile, cpuMicrosPerFrame: number): PartCost[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const hits = new Map<string, { all: number; socketWrite: number }>();
  let busy = 0;
  for (const node of profile.nodes) {
    const count = node.hitCount ?? 0;
    if (count === 0 || node.callFrame.functionName === "(idle)") continue;
    busy += count;
    const stack: CallFrame[] = [];
    for (let id: number | undefined = node.id; id !== undefined; id = parentOf.get(id)) stack.push(byId.get(id)!.callFrame);
    const part = PARTS.find((candidate) => stack.some(candidate.matches))?.part ?? REST;
    const total = hits.get(part) ?? { all: 0, socketWrite: 0 };
    total.all += count;
    if (stack.some(isSocketWrite)) total.socketWrite += count;
    hits.set(part, total);
  }
  const perFrame = (count: number) => Math.round((10 * cpuMicrosPerFrame * count) / Math.max(1, busy)) / 10;
  return [...PARTS.map(({ part }) => part), REST]
    .filter((part) => hits.has(part))
    .map((part) => {
      const { all, socketWrite } = hits.get(part)!;
      return { part, percent: Math.round((1000 * all) / Math.max(1, busy)) / 10, microsPerFrame: perFrame(all), socketWriteMicrosPerFrame: perFrame(socketWrite) };
    });
}
