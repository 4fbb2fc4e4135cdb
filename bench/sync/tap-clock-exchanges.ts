/**
 * Room mode's record of every clock exchange a page's sync socket completes, as the engine sees
 * it: the pong's t0, t1, t2 and the page-clock instant its message event ran (t3). The listener is
 * added when the socket is made, before the app's own, so its t3 is the engine's to within the
 * same event dispatch. Against the proxy's record of the same exchange it tells the network's
 * delay from the page's lateness (`room-clock-samples.ts`).
 */

/** One completed exchange: t0 and t3 in the page's (skewed) clock, t1 and t2 in server ms. */
export interface PageExchange {
  readonly t0: number;
  readonly t1: number;
  readonly t2: number;
  readonly t3: number;
  /** Real ms from the message event's creation (`event.timeStamp`) to its listener running: how long it queued. */
  readonly eventQueuedMs: number;
}

const MAX_EXCHANGES = 5_000;

/**
 * Adds the recording listener to `socket`; exchanges go to `into`, read with `now` (the page's
 * clock); `realNow` is the unpatched `performance.now()`, the base of `event.timeStamp`.
 */
export function recordClockExchanges(socket: WebSocket, into: PageExchange[], now: () => number, realNow: () => number): void {
  socket.addEventListener("message", (event: MessageEvent) => {
    const t3 = now();
    const eventQueuedMs = realNow() - event.timeStamp;
    if (typeof event.data !== "string" || !event.data.includes('"time_pong"') || into.length >= MAX_EXCHANGES) return;
    try {
      const message = JSON.parse(event.data) as { t0: number; t1: number; t2: number };
      into.push({ t0: message.t0, t1: message.t1, t2: message.t2, t3, eventQueuedMs });
    } catch {
      // Not ours to judge: the engine counts invalid frames.
    }
  });
}
