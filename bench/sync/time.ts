import type { Server } from "node:net";

/**
 * The benchmark's true time: epoch milliseconds, sub-millisecond, monotonic. The sync server
 * computes its time the same way on this machine; the difference between the two processes is
 * measured at every run (`serverOffsetMs`) rather than assumed.
 */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Listens on an ephemeral loopback port (the benchmark never leaves 127.0.0.1); resolves with it. */
export async function listenLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("server has no port");
  return address.port;
}
