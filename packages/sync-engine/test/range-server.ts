import type { TrackFetch } from "../src/stream/track-source.js";

/** A server of `file` that answers Range requests (206 and `content-range`) and counts what it sent. */
export function rangeServer(file: Uint8Array) {
  const sent = { requests: 0, bytes: 0 };
  const download: TrackFetch = async (_url, init) => {
    const range = /bytes=(\d+)-(\d+)/.exec(String((init?.headers as Record<string, string>).Range))!;
    const body = file.slice(Number(range[1]), Number(range[2]) + 1);
    sent.requests++;
    sent.bytes += body.length;
    return new Response(body, { status: 206, headers: { "content-range": `bytes ${range[1]}-${range[2]}/${file.length}` } });
  };
  return { download, sent };
}
