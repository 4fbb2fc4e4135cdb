/** What one scenario of `bench:load` measured: the shape its JSON, the report and the attribution read. */
import type { Histogram } from "./histogram.js";
import type { ScenarioName } from "./options.js";
import type { GcSummary } from "./gc-trace.js";
import type { StallSummary } from "./stall-trace.js";
import type { ProfileSummary } from "./profile.js";
import type { ScrapeCost } from "./scrape-probe.js";
import type { WireSummary } from "./wire.js";

type Latency = ReturnType<Histogram["summaryMs"]>;

export interface PhaseResult {
  seconds: number;
  commandsPerSecond: number;
  /** Command receipts (one per client per command) per second: the fan-out throughput. */
  fanOutPerSecond: number;
  /** Every frame the clients received, per second. */
  framesPerSecond: number;
  latency: Latency;
  sameNode: Latency;
  crossNode: Latency;
  /** time_ping → time_pong round trips the clients measured. */
  pongRtt: Latency;
  /** GC pauses of the server processes (`--trace-gc`), when traced. */
  gc: GcSummary | null;
  /** Event-loop stalls over 20 ms inside the servers, split into on-CPU and run-queue wait (`--trace-stalls`). */
  stalls: StallSummary | null;
  missingReceipts: number;
  /** % of receipts that came after the command's effect instant (server lead too short). */
  lateReceiptsPercent: number;
  resyncs: number;
  errors: Record<string, number>;
  /** Per server process, % of one core. */
  serverCpuPercent: number[];
  /** Server CPU time per frame the clients received. */
  serverCpuMicrosPerFrame: number;
  /**
   * Fan-out per second of server CPU time (all nodes): throughput with the machine's contention
   * taken out, since a starved server delivers little per wall second but as much per CPU second.
   */
  fanOutPerCpuSecond: number;
  generatorCpuPercent: number;
  generatorLagP99Ms: number;
  /** What a /metrics scrape cost the first server's event loop (steady phase of sync servers). */
  scrape: ScrapeCost | null;
  /** From the sync server's /metrics (monitorEventLoopDelay over the phase), per process. */
  eventLoopLag: { p99Ms: number; maxMs: number; meanMs: number }[] | null;
  serverRssMb: number[];
  /** Share of the phase during which some task on the machine waited for a CPU (PSI): the noise. */
  cpuPressurePercent: number | null;
  /** Frames by type, pings and (traced) system calls per second of the first server. */
  wire: WireSummary;
}

export interface ScenarioResult {
  scenario: ScenarioName;
  /** The machine's load average (1, 5, 15 min) when the scenario started and ended. */
  loadAverage: { before: string; after: string };
  server: "sync" | "bare-ws";
  nodes: number;
  clients: number;
  rooms: number;
  connect: {
    opened: number;
    failed: number;
    seconds: number;
    perSecond: number;
    /** Server CPU time (all nodes) per connection opened and joined: contention-robust. */
    serverCpuMicrosPerConnection: number;
  };
  rssPerIdleConnectionKb: number;
  steady: PhaseResult;
  saturate: PhaseResult;
  profiles: { steady?: ProfileSummary; saturate?: ProfileSummary; files: string[] };
}
