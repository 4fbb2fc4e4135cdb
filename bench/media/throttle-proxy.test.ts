import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listenLoopback } from "../sync/time.js";
import { THROTTLED_DIRECTION } from "./link-pacer.js";
import { createThrottleLink, startThrottleProxy, type ThrottleProxy } from "./throttle-proxy.js";

/** 300 KB of bytes that say where they are, so a reordered or lost slice shows. */
const BODY = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff));

describe("bench:media's throttle proxy relays HTTP untouched (real sockets, a fast link)", () => {
  const server = createServer((req, res) => {
    const match = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "");
    if (!match) return void res.writeHead(200, { "content-length": BODY.length }).end(BODY);
    const [start, end] = [Number(match[1]), Number(match[2])];
    res.writeHead(206, { "content-range": `bytes ${start}-${end}/${BODY.length}` }).end(BODY.subarray(start, end + 1));
  });
  let proxy: ThrottleProxy;
  let throttled: ThrottleProxy;

  beforeAll(async () => {
    const port = await listenLoopback(server);
    // A fast link keeps the test quick; what it checks is the bytes, not the timing.
    const fast = { bitsPerSecond: 1e9, delayMs: 1 };
    proxy = await startThrottleProxy(port, createThrottleLink(fast, fast));
    throttled = await startThrottleProxy(port, createThrottleLink(THROTTLED_DIRECTION, THROTTLED_DIRECTION));
  });
  afterAll(() => {
    proxy.close();
    throttled.close();
    server.close();
  });

  it("passes a whole body through in order", async () => {
    const response = await fetch(`${proxy.origin}/`);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(BODY)).toBe(true);
  });

  it("passes a Range request through and its 206 answer back", async () => {
    const response = await fetch(`${proxy.origin}/`, { headers: { range: "bytes=1000-70999" } });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(`bytes 1000-70999/${BODY.length}`);
    expect(Buffer.from(await response.arrayBuffer()).equals(BODY.subarray(1000, 71_000))).toBe(true);
  });

  it("serves several requests at once on separate connections, each whole", async () => {
    const bodies = await Promise.all([0, 1, 2].map(() => fetch(`${proxy.origin}/`).then((r) => r.arrayBuffer())));
    for (const body of bodies) expect(Buffer.from(body).equals(BODY)).toBe(true);
  });

  it("keeps a body in order on the real 4 Mbit/s link, where slices queue across many chunks (~0.6 s)", async () => {
    // Timers per slice once swapped two 4 KiB slices here; the bytes say where they belong.
    const response = await fetch(`${throttled.origin}/`);
    expect(Buffer.from(await response.arrayBuffer()).equals(BODY)).toBe(true);
  });
});
