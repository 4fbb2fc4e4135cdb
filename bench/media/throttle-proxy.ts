/**
 * A throttled link for any browser engine: a loopback TCP relay in front of an HTTP server that
 * delays and paces every byte by link-pacer.ts's model (4 Mbit/s and 25 ms each way), all
 * connections sharing one link. CDP's `Network.emulateNetworkConditions` does this inside
 * Chromium; Firefox has no such control, so its pages load through this relay instead.
 *
 * It relays bytes, not HTTP: requests, Range headers, 206 answers and keep-alive pass untouched.
 * A source is paused while a full window of its bytes waits on the link (as TCP's window would
 * hold the sender back), so a whole-file download does not fill the relay's memory and
 * connections take turns on the link. The TCP handshake to the relay is not delayed (CDP's
 * emulation adds its latency per request, not per connection, either).
 */
import { createConnection, createServer, type Socket } from "node:net";
import { createLinkDirection, slices, THROTTLED_DIRECTION, type LinkDirection, type LinkDirectionModel } from "./link-pacer.js";
import { listenLoopback } from "../sync/time.js";

/** Bytes of one connection's direction that may wait on the link before its source is paused. */
const WINDOW_BYTES = 64 * 1024;

export interface ThrottleLink {
  readonly up: LinkDirection;
  readonly down: LinkDirection;
}

/** One shared link; `up` is browser to server. */
export function createThrottleLink(up: LinkDirectionModel = THROTTLED_DIRECTION, down: LinkDirectionModel = THROTTLED_DIRECTION): ThrottleLink {
  return { up: createLinkDirection(up), down: createLinkDirection(down) };
}

export interface ThrottleProxy {
  /** `http://127.0.0.1:<port>`: the target, through the link. */
  readonly origin: string;
  close(): void;
}

/**
 * Relays `from` to `to` through `link`: each slice written when the link delivers it, in order.
 * One timer for the head of a queue, never a timer per slice: Node starts a timer from its loop's
 * cached clock, so two timers set in different turns for instants under a millisecond apart can
 * fire in either order, and swapped 4 KiB slices showed as timecode jumps in a WAV.
 */
function relay(from: Socket, to: Socket, link: LinkDirection): void {
  const queue: { readonly slice: Buffer; readonly dueMs: number }[] = [];
  let waiting = 0;
  let ended = false;
  let timer: NodeJS.Timeout | null = null;
  const deliverDue = () => {
    timer = null;
    const now = performance.now();
    while (queue.length > 0 && queue[0]!.dueMs <= now) {
      const { slice } = queue.shift()!;
      waiting -= slice.length;
      if (!to.destroyed) to.write(slice);
    }
    if (waiting < WINDOW_BYTES && from.isPaused()) from.resume();
    if (queue.length > 0) timer = setTimeout(deliverDue, queue[0]!.dueMs - now);
    else if (ended) to.end();
  };
  from.on("data", (chunk: Buffer) => {
    const now = performance.now();
    for (const [start, end] of slices(chunk.length)) {
      const slice = chunk.subarray(start, end);
      waiting += slice.length;
      queue.push({ slice, dueMs: link.deliveryMs(slice.length, now) });
    }
    if (timer === null) timer = setTimeout(deliverDue, queue[0]!.dueMs - now);
    if (waiting >= WINDOW_BYTES) from.pause();
  });
  from.on("end", () => {
    ended = true;
    if (queue.length === 0) to.end();
  });
}

/** Starts a relay to `targetPort` on loopback through `link`. */
export async function startThrottleProxy(targetPort: number, link: ThrottleLink): Promise<ThrottleProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((browserSide) => {
    const serverSide = createConnection({ host: "127.0.0.1", port: targetPort });
    for (const socket of [browserSide, serverSide]) {
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    }
    const destroyBoth = () => {
      browserSide.destroy();
      serverSide.destroy();
    };
    browserSide.on("error", destroyBoth);
    serverSide.on("error", destroyBoth);
    browserSide.on("close", () => serverSide.destroy());
    relay(browserSide, serverSide, link.up);
    relay(serverSide, browserSide, link.down);
  });
  const port = await listenLoopback(server);
  return {
    origin: `http://127.0.0.1:${port}`,
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
