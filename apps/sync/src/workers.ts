import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";

/** A worker that dies sooner than this after its start is restarted only after this pause. */
const RESTART_PAUSE_MS = 1_000;

/**
 * The primary of `SYNC_WORKERS=N`: forks N sync processes that share the port through Node's
 * `cluster` (the primary accepts and hands connections out round-robin) and their rooms through
 * Redis [SC4]. A worker that dies is replaced; SIGINT/SIGTERM stop every worker, then the primary.
 */
export function runPrimary(workers: number, logger: Logger): void {
  // Round-robin in the primary, not the kernel's pick among idle workers (which favours one).
  cluster.schedulingPolicy = cluster.SCHED_RR;
  let stopping = false;
  const startedAt = new Map<Worker, number>();

  function fork(): void {
    const worker = cluster.fork();
    startedAt.set(worker, performance.now());
    worker.on("exit", (code, signal) => {
      const livedMs = performance.now() - (startedAt.get(worker) ?? 0);
      startedAt.delete(worker);
      if (stopping) {
        if (startedAt.size === 0) logger.flush(() => process.exit(0));
        return;
      }
      logger.error({ pid: worker.process.pid, code, signal }, "sync worker died; starting another");
      setTimeout(fork, livedMs < RESTART_PAUSE_MS ? RESTART_PAUSE_MS : 0);
    });
  }

  for (let index = 0; index < workers; index++) fork();
  logger.info({ workers }, "sync workers starting");

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, "stopping sync workers");
      if (startedAt.size === 0) process.exit(0);
      for (const worker of startedAt.keys()) worker.process.kill("SIGTERM");
    });
  }
}
