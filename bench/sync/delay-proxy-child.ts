/**
 * The delay proxies' own process (forked by `delay-proxy-process.ts`): the network the scenario
 * describes does not run on the benchmark's event loop, which the browsers' control traffic, the
 * UI clicks and the analysis keep busy. Speaks only over the IPC channel.
 */
import { startDelayProxy, type ClientNetwork, type DelayProxy } from "./delay-proxy.js";
import { nowMs } from "./time.js";

export type ChildRequest =
  | { readonly kind: "start"; readonly targetPort: number; readonly networks: readonly ClientNetwork[]; readonly seeds: readonly number[] }
  | { readonly kind: "now"; readonly id: number }
  | { readonly kind: "collect" }
  | { readonly kind: "close" };

const proxies: DelayProxy[] = [];
const reply = (message: unknown): void => void process.send?.(message);

process.on("message", (request: ChildRequest) => {
  void handle(request).catch((error: unknown) => reply({ kind: "error", message: String(error) }));
});
// The parent gone means the run is over, however it ended.
process.on("disconnect", () => process.exit(0));

async function handle(request: ChildRequest): Promise<void> {
  switch (request.kind) {
    case "start":
      for (const [i, network] of request.networks.entries()) proxies.push(await startDelayProxy(request.targetPort, network, request.seeds[i]!));
      return reply({ kind: "started", ports: proxies.map((p) => p.port) });
    case "now":
      return reply({ kind: "now", id: request.id, nowMs: nowMs() });
    case "collect":
      return reply({ kind: "records", records: proxies.map((p) => ({ up: p.up, down: p.down })) });
    case "close":
      await Promise.all(proxies.map((p) => p.close()));
      reply({ kind: "closed" });
      return process.disconnect();
  }
}
