/**
 * Serves the benchmark page (page.ts bundled) and the track files (with HTTP ranges and, for an
 * MP3, a linked frame index, as the API does), and the init scripts of its pages' taps: the
 * timecode tap of bench/sync or the raw capture of capture-worklet.ts. Pages open in
 * media-browser.ts, here or through the throttle proxy in front of it.
 */
import { createReadStream, statSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import { MP3_FRAME_INDEX_REL, type Mp3FrameIndex } from "@sync-beats/protocol";
import { buildAdtsFrameIndex, buildMp3FrameIndex } from "@sync-beats/sync-engine/media";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildTapInitScript, bundleForBrowser } from "../sync/browser-bundle.js";
import { listenLoopback } from "../sync/time.js";
import type {} from "../sync/tap-init.js";

const here = dirname(fileURLToPath(import.meta.url));

export interface PageHost {
  readonly origin: string;
  /** Init script with the timecode tap (bench/sync/tap-worklet.ts). */
  readonly timecodeTap: string;
  /** Init script with the raw capture (capture-worklet.ts). */
  readonly rawCapture: string;
  /** URL of `path` served from `filesDir` (`/files/<name>`, Range honoured), at `origin` (this host's, or a proxy's in front of it). */
  fileUrl(path: string, origin?: string): string;
  /** Requests for the file at `path` so far: by range, and for the whole file (a whole-file decode). */
  requestsFor(path: string): { readonly ranges: number; readonly whole: number };
  close(): void;
}

/** `bytes=a-b` / `bytes=a-` against `size`; null to send the whole file. */
function singleRange(header: string | undefined, size: number): { start: number; end: number } | null {
  const match = header ? /^bytes=(\d+)-(\d*)$/.exec(header.trim()) : null;
  if (!match) return null;
  const start = Number(match[1]);
  const end = Math.min(size - 1, match[2] ? Number(match[2]) : size - 1);
  return start <= end ? { start, end } : null;
}

/** Files whose frames are indexed (MP3, ADTS AAC). */
const FRAME_INDEXED = /\.(mp3|aac)$/;
/** `/files/<name>` + this is the frame index of `<name>`. */
const FRAME_INDEX_SUFFIX = ".mp3-frames";
/** Indexes built so far, by file path (each file is scanned once per host). */
const frameIndexes = new Map<string, Promise<Mp3FrameIndex | null>>();

/** The frame index of the MP3 at `path`, scanned once (started when its URL is handed out, as the API scans at upload). */
function frameIndexOf(path: string): Promise<Mp3FrameIndex | null> {
  let index = frameIndexes.get(path);
  if (!index) {
    index = (path.endsWith(".aac") ? buildAdtsFrameIndex : buildMp3FrameIndex)(createReadStream(path)).catch(() => null);
    frameIndexes.set(path, index);
  }
  return index;
}

function serveFrameIndex(path: string, res: ServerResponse): void {
  void frameIndexOf(path).then((body) => {
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store", "access-control-allow-origin": "*" }).end(JSON.stringify(body));
  });
}

export async function startPageHost(filesDir: string): Promise<PageHost> {
  const [pageJs, timecodeFor, rawFor] = await Promise.all([
    bundleForBrowser(join(here, "page.ts"), "iife"),
    buildTapInitScript(),
    buildTapInitScript(join(here, "capture-worklet.ts")),
  ]);
  const requests = new Map<string, { ranges: number; whole: number }>();
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>media bench</title></head><body><script src="/page.js"></script></body></html>`;
  const server = createServer((req, res) => {
    const url = req.url ?? "/";
    if (url.startsWith("/files/") && url.split("?")[0]!.endsWith(FRAME_INDEX_SUFFIX)) {
      const name = basename(decodeURIComponent(url.slice(7).split("?")[0]!)).slice(0, -FRAME_INDEX_SUFFIX.length);
      return void serveFrameIndex(join(filesDir, name), res);
    }
    if (url.startsWith("/files/")) {
      const name = basename(decodeURIComponent(url.slice(7).split("?")[0]!));
      const path = join(filesDir, name);
      let size: number;
      try {
        size = statSync(path).size;
      } catch {
        return void res.writeHead(404).end();
      }
      const range = singleRange(req.headers.range, size);
      const counts = requests.get(name) ?? { ranges: 0, whole: 0 };
      requests.set(name, range ? { ...counts, ranges: counts.ranges + 1 } : { ...counts, whole: counts.whole + 1 });
      // An MP3 or ADTS file names its frame index, as the API does (apps/api/src/routes/tracks.ts).
      const link = FRAME_INDEXED.test(name) ? { link: `<${encodeURIComponent(name)}${FRAME_INDEX_SUFFIX}>; rel="${MP3_FRAME_INDEX_REL}"` } : {};
      const headers = { "accept-ranges": "bytes", "cache-control": "no-store", "access-control-allow-origin": "*", ...link };
      if (!range) return void createReadStream(path).pipe(res.writeHead(200, { ...headers, "content-length": size }));
      res.writeHead(206, { ...headers, "content-length": range.end - range.start + 1, "content-range": `bytes ${range.start}-${range.end}/${size}` });
      return void createReadStream(path, range).pipe(res);
    }
    const body = url === "/page.js" ? pageJs : url === "/" ? html : null;
    if (body === null) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": url === "/" ? "text/html" : "text/javascript", "cache-control": "no-store" }).end(body);
  });
  const port = await listenLoopback(server);
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    timecodeTap: timecodeFor(0),
    rawCapture: rawFor(0),
    fileUrl(path, at = origin) {
      if (FRAME_INDEXED.test(path)) void frameIndexOf(join(filesDir, basename(path)));
      return `${at}/files/${encodeURIComponent(basename(path))}`;
    },
    requestsFor: (path) => requests.get(basename(path)) ?? { ranges: 0, whole: 0 },
    close: () => server.close(),
  };
}
