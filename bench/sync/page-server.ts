/**
 * The benchmark's own static server on 127.0.0.1: the page bundle (esbuild, from page.ts), the
 * timecode WAV and `/time-ws` (the benchmark's clock, for calibrating each page's time base). The
 * tap's init script comes from browser-bundle.ts.
 */
import { createServer, type Server } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { WebSocketServer } from "ws";
import { buildTapInitScript, bundleForBrowser, type InitScriptFor } from "./browser-bundle.js";
import { renderTimecodeWav } from "./timecode.js";
import { listenLoopback, nowMs } from "./time.js";

const here = dirname(fileURLToPath(import.meta.url));

export interface PageServer {
  readonly url: string;
  readonly initScriptFor: InitScriptFor;
  readonly trackDurationMs: number;
  close(): Promise<void>;
}

const HTML = `<!doctype html><html><head><meta charset="utf-8"><title>sync bench</title></head>
<body><script src="/page.js"></script></body></html>`;

/**
 * Cross-origin isolation (as the app's room page has it, issue 14): fine `performance.now()`
 * (0.005 ms in Chromium instead of 0.1 ms). Every resource here is same-origin, so
 * `require-corp` needs nothing more.
 */
const ISOLATION_HEADERS = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };

/**
 * Builds the bundles and serves them; `trackSeconds` of timecode at `/timecode.wav`; the page is
 * cross-origin isolated unless `isolated` is false (`bench:sync --no-isolation`).
 */
export async function startPageServer(trackSeconds: number, isolated = true): Promise<PageServer> {
  const [pageJs, initScriptFor] = await Promise.all([bundleForBrowser(join(here, "page.ts"), "iife"), buildTapInitScript()]);
  const wav = renderTimecodeWav(trackSeconds);
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    const send = (type: string, body: string | Buffer) => {
      response.writeHead(200, {
        "content-type": type,
        "cache-control": "no-store",
        "content-length": Buffer.byteLength(body),
        ...(isolated ? ISOLATION_HEADERS : {}),
      });
      response.end(body);
    };
    if (path === "/") return send("text/html; charset=utf-8", HTML);
    if (path === "/page.js") return send("text/javascript", pageJs);
    if (path === "/timecode.wav") return send("audio/wav", wav);
    if (path === "/favicon.ico") return void response.writeHead(204).end();
    response.writeHead(404).end();
  });
  server.keepAliveTimeout = 60_000;
  // Clock calibration over a WebSocket: the page sends anything, we answer with our clock at once.
  const timeSockets = new WebSocketServer({ server, path: "/time-ws" });
  timeSockets.on("connection", (socket) => {
    socket.on("message", () => socket.send(String(nowMs())));
  });
  const port = await listenLoopback(server);
  return {
    url: `http://127.0.0.1:${port}/`,
    trackDurationMs: trackSeconds * 1000,
    initScriptFor,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of timeSockets.clients) client.terminate();
        timeSockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
