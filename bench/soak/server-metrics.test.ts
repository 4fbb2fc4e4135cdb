import { describe, expect, it } from "vitest";
import { parsePrometheus, serverMetrics } from "./server-metrics.js";

const SAMPLE = `# HELP sync_process_resident_memory_bytes Resident memory size in bytes.
# TYPE sync_process_resident_memory_bytes gauge
sync_process_resident_memory_bytes 116539392

sync_nodejs_eventloop_lag_max_seconds 0.017498111
sync_nodejs_eventloop_lag_p50_seconds 0.010108927
sync_nodejs_eventloop_lag_p99_seconds 0.012132351
sync_nodejs_active_handles{type="Socket"} 1
sync_nodejs_active_handles_total 2
sync_nodejs_heap_size_total_bytes 50978816
sync_nodejs_heap_size_used_bytes 14279104
sync_nodejs_external_memory_bytes 2902732
sync_process_open_fds 29
sync_connections 500
sync_rooms 50
sync_resync_total 3
sync_broadcast_fanout_seconds_bucket{le="0.001"} 7
`;

describe("serverMetrics", () => {
  it("reads memory, lag (less the 10 ms timer period), counters and gauges", () => {
    const metrics = serverMetrics(SAMPLE);
    expect(metrics).toMatchObject({
      rssBytes: 116_539_392,
      heapUsedBytes: 14_279_104,
      heapTotalBytes: 50_978_816,
      externalBytes: 2_902_732,
      resyncTotal: 3,
      connections: 500,
      rooms: 50,
      openFds: 29,
    });
    expect(metrics.lagP50Ms).toBeCloseTo(0.109, 3);
    expect(metrics.lagP99Ms).toBeCloseTo(2.132, 3);
    expect(metrics.lagMaxMs).toBeCloseTo(7.498, 3);
  });

  it("reports NaN for a missing metric rather than zero", () => {
    expect(serverMetrics("sync_rooms 1\n").rssBytes).toBeNaN();
  });

  it("skips labelled samples, comments and blank lines", () => {
    expect([...parsePrometheus(SAMPLE).keys()]).not.toContain("sync_nodejs_active_handles");
    expect(parsePrometheus("# x 1\n\n").size).toBe(0);
  });
});
