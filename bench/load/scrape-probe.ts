/**
 * What one `/metrics` scrape costs a sync server's event loop, from outside: a probe socket sends
 * WebSocket ping frames every millisecond (the server's `ws` answers each from its event loop, no
 * rate limit), and the slowest round trip while a scrape is served is compared with the round
 * trips just before it. Repeated; the median of the rounds is reported.
 */
import WebSocket from "ws";
import { httpText, type ServerProcess, sleep } from "./processes.js";

export interface ScrapeCost {
  rounds: number;
  /** Median over rounds of (slowest probe round trip during the scrape − median one just before). */
  eventLoopCostMs: number;
  /** The same rounds' worst. */
  worstMs: number;
  /** Slowest probe round trip in the windows without a scrape: the noise floor of the estimate. */
  quietMaxMs: number;
  /** Wall time of the scrape's HTTP request (queueing included). */
  responseMs: number;
}

const ROUNDS = 5;
const QUIET_WINDOW_MS = 300;
const AFTER_RESPONSE_MS = 30;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Pings every millisecond while `during` runs (and `tailMs` after); the round trips. */
async function probe(ws: WebSocket, during: () => Promise<unknown>, tailMs: number): Promise<number[]> {
  const sentAt: number[] = [];
  const rtts: number[] = [];
  const onPong = () => {
    const sent = sentAt.shift();
    if (sent !== undefined) rtts.push(performance.now() - sent);
  };
  ws.on("pong", onPong);
  const timer = setInterval(() => {
    sentAt.push(performance.now());
    ws.ping();
  }, 1);
  try {
    await during();
    await sleep(tailMs);
  } finally {
    clearInterval(timer);
    await sleep(50);
    ws.off("pong", onPong);
  }
  // A ping still unanswered counts as slow as the time it has waited.
  for (const sent of sentAt) rtts.push(performance.now() - sent);
  return rtts;
}

export async function measureScrapeCost(server: ServerProcess): Promise<ScrapeCost> {
  const ws = new WebSocket(server.url, { perMessageDeflate: false });
  await new Promise<void>((done, fail) => {
    ws.once("open", () => done());
    ws.once("error", fail);
  });
  const round = (value: number) => Math.round(value * 100) / 100;
  try {
    const costs: number[] = [];
    const quietMax: number[] = [];
    const responses: number[] = [];
    for (let index = 0; index < ROUNDS; index++) {
      const quiet = await probe(ws, () => sleep(QUIET_WINDOW_MS), 0);
      let responseMs = 0;
      const scraped = await probe(
        ws,
        async () => {
          const started = performance.now();
          await httpText(`${server.httpUrl}/metrics`, 20_000);
          responseMs = performance.now() - started;
        },
        AFTER_RESPONSE_MS,
      );
      costs.push(Math.max(0, Math.max(...scraped) - median(quiet)));
      quietMax.push(Math.max(...quiet));
      responses.push(responseMs);
      await sleep(200);
    }
    return {
      rounds: ROUNDS,
      eventLoopCostMs: round(median(costs)),
      worstMs: round(Math.max(...costs)),
      quietMaxMs: round(median(quietMax)),
      responseMs: round(median(responses)),
    };
  } finally {
    ws.terminate();
  }
}
