import { describe, expect, it } from "vitest";
import { createMetrics } from "./metrics.js";

function value(text: string, sample: string): number {
  const escaped = sample.replace(/[{}"]/g, (char) => `\\${char}`);
  const match = new RegExp(`^${escaped} (\\S+)$`, "m").exec(text);
  if (!match) throw new Error(`${sample} missing from:\n${text}`);
  return Number(match[1]);
}

describe("metrics", () => {
  it("[SC3] messages counted between scrapes add up in the counter, scrape after scrape", async () => {
    const metrics = createMetrics({ connections: () => 3, rooms: () => 1 });
    try {
      metrics.onMessage("time_ping");
      metrics.onMessage("time_ping");
      metrics.onMessage("join");
      const first = await metrics.registry.metrics();
      expect(value(first, 'sync_messages_in_total{type="time_ping"}')).toBe(2);
      expect(value(first, 'sync_messages_in_total{type="join"}')).toBe(1);
      metrics.onMessage("time_ping");
      const second = await metrics.registry.metrics();
      expect(value(second, 'sync_messages_in_total{type="time_ping"}')).toBe(3);
      expect(value(second, "sync_connections")).toBe(3);
    } finally {
      metrics.stop();
    }
  });

  it("[SC3] the process figures keep prom-client's default names; CPU time only grows", async () => {
    const metrics = createMetrics({ connections: () => 0, rooms: () => 0 });
    try {
      const first = await metrics.registry.metrics();
      for (let spin = performance.now(); performance.now() - spin < 20; );
      const second = await metrics.registry.metrics();
      for (const name of ["process_resident_memory_bytes", "nodejs_heap_size_used_bytes", "process_open_fds", "nodejs_eventloop_lag_p99_seconds", "nodejs_eventloop_lag_seconds"]) {
        expect(value(second, `sync_${name}`)).toBeGreaterThan(name === "nodejs_eventloop_lag_p99_seconds" ? -1 : 0);
      }
      const cpu = (text: string) => value(text, "sync_process_cpu_seconds_total");
      expect(cpu(second)).toBeGreaterThan(cpu(first));
      expect(value(second, "sync_process_cpu_user_seconds_total") + value(second, "sync_process_cpu_system_seconds_total")).toBeCloseTo(cpu(second), 6);
    } finally {
      metrics.stop();
    }
  });
});
