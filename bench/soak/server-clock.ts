/**
 * The sync server's clock as seen from the benchmark process: both read
 * `performance.timeOrigin + performance.now()`, but each process fixes its origin from the wall
 * clock when it starts, and a VM's wall clock may slew between the two starts. The offset comes
 * from the `time_pong` with the shortest round trip so far (NTP's minimum-delay filter).
 */
export class ServerClock {
  private bestRttMs = Number.POSITIVE_INFINITY;
  /** Server clock minus local clock. */
  offsetMs = 0;

  constructor(private readonly localNow: () => number = () => performance.timeOrigin + performance.now()) {}

  /** `t0`/`t3`: local send and receive instants; `t1`/`t2`: the server's receive and send instants. */
  observe(t0: number, t1: number, t2: number, t3: number): void {
    const rttMs = t3 - t0 - (t2 - t1);
    if (!(rttMs >= 0) || rttMs >= this.bestRttMs) return;
    this.bestRttMs = rttMs;
    this.offsetMs = (t1 - t0 + (t2 - t3)) / 2;
  }

  localMs(): number {
    return this.localNow();
  }

  serverMs(): number {
    return this.localNow() + this.offsetMs;
  }
}
