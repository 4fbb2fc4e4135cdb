import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** Prometheus metrics of one sync process, served at `/metrics`. */
export function createMetrics(sources: { connections(): number; rooms(): number }) {
  const registry = new Registry();
  // Includes nodejs_eventloop_lag_seconds and the process's memory and CPU.
  collectDefaultMetrics({ register: registry, prefix: "sync_" });
  new Gauge({ name: "sync_connections", help: "Open WebSocket connections", registers: [registry], collect() { this.set(sources.connections()); } });
  new Gauge({ name: "sync_rooms", help: "Rooms with state on this node", registers: [registry], collect() { this.set(sources.rooms()); } });
  const messagesIn = new Counter({ name: "sync_messages_in_total", help: "Client messages by type", labelNames: ["type"], registers: [registry] });
  const framesOut = new Counter({ name: "sync_broadcast_frames_out_total", help: "Broadcast frames sent to clients", registers: [registry] });
  const fanOutLatency = new Histogram({
    name: "sync_broadcast_fanout_seconds",
    help: "From a broadcast's publication (on any node) to its fan-out on this node",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const resyncs = new Counter({ name: "sync_resync_total", help: "RESYNC messages sent", registers: [registry] });

  // Label children resolved once per type: `inc({ type })` hashes the labels on every message.
  const messagesInByType = new Map<string, { inc(): void }>();
  return {
    registry,
    onMessage: (type: string) => {
      let child = messagesInByType.get(type);
      if (!child) messagesInByType.set(type, (child = messagesIn.labels(type)));
      child.inc();
    },
    onResync: () => resyncs.inc(),
    onFanOut: (fanOut: number, latencyMs: number) => {
      framesOut.inc(fanOut);
      fanOutLatency.observe(latencyMs / 1000);
    },
  };
}
export type SyncMetrics = ReturnType<typeof createMetrics>;
