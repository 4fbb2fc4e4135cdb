/** The figures the soak reads from the sync server's Prometheus text at each sample. */
export interface ServerMetrics {
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  /** Event-loop lag over the interval since the previous scrape (prom-client resets its histogram). */
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  resyncTotal: number;
  connections: number;
  rooms: number;
  openFds: number;
}

/** The unlabelled samples of a Prometheus text exposition, by name. */
export function parsePrometheus(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*) (\S+)$/.exec(line);
    if (match) values.set(match[1]!, Number(match[2]));
  }
  return values;
}

/**
 * monitorEventLoopDelay records whole timer periods: an idle loop reads prom-client's default
 * resolution of 10 ms, so the period is taken off to leave the lag itself.
 */
const LAG_RESOLUTION_S = 0.01;

export function serverMetrics(text: string): ServerMetrics {
  const values = parsePrometheus(text);
  const get = (name: string) => values.get(`sync_${name}`) ?? Number.NaN;
  const lagMs = (name: string) => Math.max(0, (get(name) - LAG_RESOLUTION_S) * 1000);
  return {
    rssBytes: get("process_resident_memory_bytes"),
    heapUsedBytes: get("nodejs_heap_size_used_bytes"),
    heapTotalBytes: get("nodejs_heap_size_total_bytes"),
    externalBytes: get("nodejs_external_memory_bytes"),
    lagP50Ms: lagMs("nodejs_eventloop_lag_p50_seconds"),
    lagP99Ms: lagMs("nodejs_eventloop_lag_p99_seconds"),
    lagMaxMs: lagMs("nodejs_eventloop_lag_max_seconds"),
    resyncTotal: get("resync_total"),
    connections: get("connections"),
    rooms: get("rooms"),
    openFds: get("process_open_fds"),
  };
}
