import type { Track, TrackInfo } from "@sync-beats/protocol";

/** A library track as the sync protocol's {@link TrackInfo} (what `PLAY` carries). */
export function toTrackInfo(track: Track): TrackInfo {
  return {
    audioUrl: track.audioUrl,
    duration: track.durationMs,
    trackId: track.id,
    title: track.title,
    ...(track.artist ? { artist: track.artist } : {}),
  };
}

/** The track after `currentId` in `tracks` (wrapping round), or the first when none plays. */
export function nextTrack<T extends { id: string }>(tracks: readonly T[], currentId: string | undefined): T | null {
  if (tracks.length === 0) return null;
  const index = currentId === undefined ? -1 : tracks.findIndex((track) => track.id === currentId);
  return tracks[(index + 1) % tracks.length] ?? null;
}

/**
 * Track URLs carry the API origin of whoever started them. A phone on the LAN cannot reach the
 * host's `localhost`, so a loopback origin is replaced by this device's own API origin.
 */
export function localizeAudioUrl(url: string, apiUrl: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url, apiUrl);
  } catch {
    return url;
  }
  if (!["localhost", "127.0.0.1", "[::1]"].includes(parsed.hostname)) return parsed.href;
  const api = new URL(apiUrl);
  parsed.protocol = api.protocol;
  parsed.host = api.host;
  return parsed.href;
}
