import type { TrackFetch } from "./track-source.js";

/** Bytes `[from, to)` of `url` by one HTTP range request; anything but a 206 is an error. */
export async function fetchByteRange(download: TrackFetch, url: string, from: number, to: number, signal?: AbortSignal): Promise<Uint8Array> {
  const response = await download(url, { headers: { Range: `bytes=${from}-${to - 1}` }, signal });
  if (response.status !== 206) throw new Error(`HTTP ${response.status} for a range`);
  return new Uint8Array(await response.arrayBuffer());
}
